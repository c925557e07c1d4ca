package dev.pledge.app.cli;

import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;

/** Renders the web API's purchase JSON as text for people. Missing fields print as "-". */
final class PurchaseView {
    private PurchaseView() {
    }

    static void list(JsonNode page, PrintWriter out) {
        JsonNode purchases = firstArray(page, "purchases", "executions", "content", "items");
        TextTable table = new TextTable("ID", "STATUS", "CREATED", "BY", "ATTEMPT", "DESCRIPTION");
        for (JsonNode p : purchases) {
            table.row(text(p, "id"), text(p, "status"), text(p, "createdAt"), person(p, "createdBy"),
                    text(p, "attempt"), text(p, "description"));
        }
        if (table.isEmpty()) {
            out.println("No purchases.");
        } else {
            table.print(out);
        }
        String next = text(page, "nextCursor");
        if (!"-".equals(next)) {
            out.println("More: pledge purchases list --cursor " + next);
        }
    }

    static void detail(JsonNode p, PrintWriter out) {
        row(out, "id", text(p, "id"));
        row(out, "status", text(p, "status"));
        row(out, "description", text(p, "description"));
        row(out, "created", text(p, "createdAt") + " by " + personAndKey(p, "createdBy"));
        if (!"-".equals(text(p, "approvedBy"))) {
            row(out, "approved", text(p, "approvedAt") + " by " + personAndKey(p, "approvedBy"));
        }
        if (!"-".equals(text(p, "rejectedBy"))) {
            row(out, "rejected", text(p, "rejectedAt") + " by " + personAndKey(p, "rejectedBy") + ": "
                    + text(p, "rejectReason"));
        }
        if (!"-".equals(text(p, "finishedAt"))) {
            row(out, "finished", text(p, "finishedAt"));
        }
        row(out, "attempt", text(p, "attempt") + " (token " + text(p, "token") + ")");
        if (!"-".equals(text(p, "lastError"))) {
            row(out, "last error", text(p, "lastError"));
        }
        // issue 16: what the purchase costs, per currency, as quoted when it was created
        JsonNode totals = p.path("totals");
        if (totals.isObject()) {
            for (String currency : totals.propertyNames()) {
                JsonNode t = totals.path(currency);
                row(out, "cost " + currency, "upfront " + money(t.path("upfront")) + ", monthly "
                        + money(t.path("monthly")) + ", total over the term " + money(t.path("total")));
            }
        }
        JsonNode items = p.path("items");
        if (items.isArray() && !items.isEmpty()) {
            out.println();
            TextTable table = new TextTable("#", "TYPE", "ACCOUNT", "REGION", "OFFERING", "COUNT", "TERM", "PRICE",
                    "STATUS", "OUTCOME", "COMMITMENT", "ERROR");
            for (JsonNode i : items) {
                JsonNode r = i.has("request") ? i.path("request") : i;
                table.row(text(i, "position"), text(r, "type"), first(r, "cloudAccount", "account"), text(r, "region"),
                        text(r, "offering"), first(r, "count", "quantity"), text(r, "term"), price(i.path("price")),
                        text(i, "status"),
                        text(i, "outcome"), text(i, "commitmentId"), text(i, "error"));
            }
            table.print(out);
        }
    }

    /** An item's quote in one cell: upfront + monthly, or "unknown". */
    private static String price(JsonNode q) {
        if (!q.isObject() || !q.has("currency")) {
            return q.isObject() ? "unknown" : "-";
        }
        return q.path("currency").asString() + " " + money(q.path("upfront")) + " + " + money(q.path("monthly"))
                + "/month (" + money(q.path("total")) + " total)";
    }

    private static String money(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-"
                : n.decimalValue().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static JsonNode firstArray(JsonNode node, String... names) {
        if (node.isArray()) {
            return node;
        }
        for (String n : names) {
            if (node.path(n).isArray()) {
                return node.path(n);
            }
        }
        return tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    private static String first(JsonNode node, String a, String b) {
        String v = text(node, a);
        return "-".equals(v) ? text(node, b) : v;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return "-";
        }
        return v.isValueNode() ? v.asString() : v.toString();
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("  %-12s %s%n", name, value);
    }

    /** The person behind the actor in {@code field} (the service's {@code people} map), else the actor. */
    static String person(JsonNode p, String field) {
        String actor = text(p, field);
        String person = p.path("people").path(actor).path("person").asString("");
        return person.isBlank() ? actor : person;
    }

    /** "alice@example.com (key ci-requester)", or the person alone when no key was used. */
    static String personAndKey(JsonNode p, String field) {
        String actor = text(p, field);
        String key = p.path("people").path(actor).path("key").asString("");
        return person(p, field) + (key.isBlank() ? "" : " (key " + key + ")");
    }
}
