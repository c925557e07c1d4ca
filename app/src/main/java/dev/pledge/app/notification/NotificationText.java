package dev.pledge.app.notification;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a notification says, in words: a subject line, lines of plain text, the same as HTML, and the
 * link to the console. Built from the payload stored with the event (what was true when it happened).
 */
final class NotificationText {
    private final Notification n;
    private final String link;

    NotificationText(Notification n, ConsoleLink console) {
        this.n = n;
        this.link = console.of(n);
    }

    /** The console page of the subject, or null when {@code pledge.console.base-url} is not set. */
    String link() {
        return link;
    }

    /** One line: "Purchase 1b2c... waits for approval: two RDS nodes". */
    String summary() {
        JsonNode p = n.payload();
        return switch (n.event().subject()) {
            case PURCHASE -> "Purchase " + text(p, "id") + " " + n.event().verb()
                    + (text(p, "description").isBlank() ? "" : ": " + text(p, "description"));
            case COMMITMENT -> "Commitment " + text(p, "commitmentId") + " (" + text(p, "type") + ", account "
                    + text(p, "account") + ") ends on " + text(p, "endAt") + ", within " + text(p, "days") + " days";
            case BUDGET, PLAN -> capitalized(n.event().subject().field()) + " " + text(p, "name") + " "
                    + n.event().verb();
        };
    }

    String subject() {
        return "[Pledge] " + summary();
    }

    /** The body's lines (plain text); the HTML body has the same content. */
    List<String> lines() {
        JsonNode p = n.payload();
        List<String> lines = new ArrayList<>();
        lines.add(summary() + ".");
        lines.add("");
        switch (n.event().subject()) {
            case PURCHASE -> purchase(p, lines);
            case COMMITMENT -> {
                lines.add("Offering: " + text(p, "offering") + " x" + text(p, "quantity") + ", region "
                        + text(p, "region"));
                lines.add("Next step: renew or replace it before it ends; the recommendations "
                        + "(GET /api/v1/recommendations) show what the usage needs now.");
            }
            case BUDGET, PLAN -> {
                for (Map.Entry<String, JsonNode> e : p.properties()) {
                    lines.add(e.getKey() + ": " + (e.getValue().isString() ? e.getValue().asString() : e.getValue()));
                }
            }
        }
        lines.add("");
        if (link != null) {
            lines.add("Open it in the console: " + link);
            lines.add("(The link only opens the console, which asks you to sign in; it approves nothing by itself.)");
        }
        lines.add("Notification id: " + n.id() + " (the same on every retry)");
        return lines;
    }

    private void purchase(JsonNode p, List<String> lines) {
        lines.add("Requested by: " + text(p, "createdBy"));
        if (!text(p, "approvedBy").isBlank() && n.event() != NotificationEvent.PURCHASE_PENDING_APPROVAL) {
            lines.add("Approved by: " + text(p, "approvedBy"));
        }
        lines.add("Items:");
        for (JsonNode item : p.path("items")) {
            String line = "  " + (item.path("position").asInt() + 1) + ". " + text(item, "type") + " "
                    + text(item, "offering") + " x" + text(item, "quantity") + ", " + text(item, "term")
                    + (text(item, "payment").isBlank() ? "" : " " + text(item, "payment")) + ", "
                    + text(item, "region") + ", account " + text(item, "account");
            if (n.event() != NotificationEvent.PURCHASE_PENDING_APPROVAL
                    && n.event() != NotificationEvent.PURCHASE_APPROVED) {
                line += ": " + text(item, "status")
                        + (text(item, "commitmentId").isBlank() ? "" : " " + text(item, "commitmentId"))
                        + (text(item, "error").isBlank() ? "" : " (" + text(item, "error") + ")");
            }
            lines.add(line);
        }
        switch (n.event()) {
            case PURCHASE_PENDING_APPROVAL -> lines.add("Next step: review it and approve or reject it in the console "
                    + "(or POST /api/v1/purchases/" + text(p, "id") + "/approve with an APPROVER key of another owner).");
            case PURCHASE_FAILED, PURCHASE_PARTIALLY_SUCCEEDED -> {
                lines.add("Reason: " + text(p, "lastError"));
                lines.add("Next step: check the reason, then re-drive it (POST /api/v1/purchases/" + text(p, "id")
                        + "/redrive, APPROVER): items not bought go through their guard again and nothing "
                        + "bought is bought twice. An item whose outcome is unknown may have been bought: look it "
                        + "up in the cloud first.");
            }
            case PURCHASE_REJECTED -> lines.add("Reason: " + text(p, "rejectReason") + " (by " + text(p, "rejectedBy")
                    + ")");
            case PURCHASE_EXPIRED -> lines.add("Next step: nobody approved it in time; request it again if it is "
                    + "still needed.");
            default -> {
            }
        }
    }

    String html() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        List<String> lines = lines();
        b.append("<p><strong>").append(escape(lines.get(0))).append("</strong></p><p>");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                b.append("</p><p>");
            } else if (link != null && line.startsWith("Open it in the console: ")) {
                b.append("<a href=\"").append(escape(link)).append("\">Open it in the console</a><br>");
            } else {
                b.append(escape(line)).append("<br>");
            }
        }
        return b.append("</p></body></html>").toString();
    }

    /** Slack mrkdwn: the characters Slack treats as control escaped. */
    static String slack(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.isString() ? v.asString() : v.toString();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
