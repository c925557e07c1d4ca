package dev.pledge.app.cli;

import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import static dev.pledge.app.cli.PurchaseView.text;

/** Renders the web API's recommendations and commitments as text for people. Missing fields print as "-". */
final class InsightView {
    private InsightView() {
    }

    static void recommendations(JsonNode page, PrintWriter out) {
        TextTable table = new TextTable("ID", "TYPE", "ACCOUNT", "REGION", "OFFERING", "QUANTITY", "TERM", "PAYMENT",
                "SAVINGS/MONTH", "UPFRONT", "BREAK-EVEN", "NOTE");
        for (JsonNode r : page.path("recommendations")) {
            table.row(text(r, "id"), text(r, "type"), text(r, "accountExternalId"), text(r, "region"),
                    text(r, "offering"), quantity(r), text(r, "term"), text(r, "payment"),
                    money(r, "monthlySavings"), money(r, "upfrontCost"), months(r.path("breakEvenMonths")), note(r));
        }
        if (table.isEmpty()) {
            out.println("No recommendations. (`pledge recommendations refresh` asks the clouds again.)");
        } else {
            table.print(out);
        }
    }

    static void recommendation(JsonNode r, PrintWriter out) {
        row(out, "id", text(r, "id") + " (generation " + text(r, "generation") + ")");
        row(out, "cloud", text(r, "cloud") + " " + text(r, "type"));
        row(out, "account", text(r, "accountExternalId") + " (id " + text(r, "account") + ")");
        row(out, "region", text(r, "region"));
        row(out, "offering", text(r, "offering"));
        row(out, "quantity", quantity(r));
        row(out, "term", text(r, "term") + ", payment " + text(r, "payment"));
        row(out, "savings", money(r, "monthlySavings") + " a month");
        row(out, "upfront", money(r, "upfrontCost"));
        row(out, "recurring", money(r, "monthlyRecurringCost") + " a month");
        row(out, "break-even", months(r.path("breakEvenMonths")));
        row(out, "lookback", text(r, "lookback"));
        row(out, "cloud's id", text(r, "cloudRecommendationId"));
        row(out, "generated", text(r, "generatedAt"));
        row(out, "refreshed", text(r, "refreshedAt") + (r.path("stale").asBoolean()
                ? " (stale: " + text(r, "staleReason") + ")" : ""));
        if (r.path("recentlyBought").asBoolean()) {
            row(out, "note", "Pledge bought this lately; proposing it needs --override");
        }
        if (!"-".equals(text(r, "proposedAs"))) {
            row(out, "proposed as", "purchase " + text(r, "proposedAs"));
        }
        JsonNode attributes = r.path("attributes");
        if (attributes.isObject() && !attributes.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            attributes.properties().forEach(e -> pairs.add(e.getKey() + "=" + text(attributes, e.getKey())));
            row(out, "attributes", String.join(", ", pairs));
        }
    }

    static void commitments(JsonNode page, PrintWriter out) {
        TextTable table = new TextTable("TYPE", "ACCOUNT", "REGION", "OFFERING", "QUANTITY", "TERM", "PAYMENT", "END",
                "STATE", "PURCHASE", "COMMITMENT");
        for (JsonNode c : page.path("commitments")) {
            table.row(text(c, "type"), text(c, "accountExternalId"), text(c, "region"), text(c, "offering"),
                    quantity(c), text(c, "term"), text(c, "payment"), text(c, "end"),
                    text(c, "state") + (c.path("stale").asBoolean() ? " (stale)" : ""),
                    text(c, "purchase"), text(c, "commitmentId"));
        }
        if (table.isEmpty()) {
            out.println("No commitments held. (`pledge recommendations refresh` reads the clouds again.)");
        } else {
            table.print(out);
        }
    }

    static void summary(JsonNode page, PrintWriter out) {
        TextTable table = new TextTable("CLOUD", "TYPE", "COMMITMENTS", "UNITS", "HOURLY", "RECURRING/MONTH",
                "UPFRONT", "EXPIRING 30D", "60D", "90D");
        for (JsonNode s : page.path("summary")) {
            String currency = text(s, "currency");
            table.row(text(s, "cloud"), text(s, "type"), text(s, "commitments"), text(s, "units"),
                    amount(currency, s.path("hourlyCommitment")), amount(currency, s.path("monthlyRecurring")),
                    amount(currency, s.path("upfront")), text(s, "expiringWithin30Days"),
                    text(s, "expiringWithin60Days"), text(s, "expiringWithin90Days"));
        }
        if (table.isEmpty()) {
            out.println("No active commitments.");
        } else {
            table.print(out);
        }
    }

    /** Units, or the hourly commitment of a plan bought by the hour. */
    private static String quantity(JsonNode n) {
        JsonNode hourly = n.path("hourlyCommitment");
        if (hourly.isNumber() || (hourly.isString() && !hourly.asString().isBlank())) {
            return amount(text(n, "currency"), hourly) + "/h";
        }
        return text(n, "quantity");
    }

    private static String note(JsonNode r) {
        List<String> notes = new ArrayList<>();
        if (r.path("recentlyBought").asBoolean()) {
            notes.add("recently bought");
        }
        if (r.path("stale").asBoolean()) {
            notes.add("stale");
        }
        if (!"-".equals(text(r, "proposedAs"))) {
            notes.add("proposed");
        }
        return notes.isEmpty() ? "" : String.join(", ", notes);
    }

    private static String money(JsonNode n, String field) {
        return amount(text(n, "currency"), n.path(field));
    }

    /** {@code USD 12.50}: two decimals at least, never a float; "-" when absent. */
    static String amount(String currency, JsonNode value) {
        BigDecimal d = decimal(value);
        if (d == null) {
            return "-";
        }
        if (d.scale() < 2) {
            d = d.setScale(2, RoundingMode.UNNECESSARY);
        }
        return ("-".equals(currency) ? "" : currency + " ") + d.toPlainString();
    }

    private static String months(JsonNode value) {
        BigDecimal d = decimal(value);
        return d == null ? "-" : d.setScale(1, RoundingMode.HALF_UP).toPlainString() + " months";
    }

    private static BigDecimal decimal(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isString()) {
            try {
                return new BigDecimal(value.asString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("  %-12s %s%n", name, value);
    }
}
