package dev.pledge.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.Lookback;
import dev.pledge.common.insight.Money;
import dev.pledge.common.insight.Recommendation;
import dev.pledge.common.insight.RecommendationSource;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reservation recommendations from {@code GET {scope}/providers/Microsoft.Consumption/reservationRecommendations}
 * (api-version 2023-05-01), filtered on Shared scope and the lookback window, every page; a 204 means none. The
 * API has no term filter: rows of another term are dropped here. Both shapes are read: {@code legacy} (EA:
 * top-level {@code sku} and {@code location}, plain-number money, lookback a word) and {@code modern} (MCA:
 * {@code properties.skuName} / {@code location}, money as {@code {currency, value}}, lookback a number of days).
 * The money fields cover the lookback window: they are scaled to a month of 730 hours. Proposed as a monthly
 * plan, so there is no upfront cost.
 */
final class ReservationRecommendations implements RecommendationSource {
    static final String API_VERSION = "2023-05-01";
    static final BigDecimal HOURS_PER_MONTH = new BigDecimal("730");

    private final ArmConnections connections;

    ReservationRecommendations(ArmConnections connections) {
        this.connections = connections;
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.AZURE_RESERVATION;
    }

    static String lookbackWord(Lookback l) {
        return "Last" + l.days() + "Days";
    }

    static String path(String scope, Lookback lookback) {
        String filter = "properties/scope eq 'Shared' and properties/lookBackPeriod eq '" + lookbackWord(lookback) + "'";
        return scope + "/providers/Microsoft.Consumption/reservationRecommendations?api-version=" + API_VERSION
                + "&$filter=" + ArmInsightReads.encode(filter);
    }

    @Override
    public List<Recommendation> fetch(InsightQuery query) {
        String scope = ArmInsightReads.scope(query.account());
        List<JsonNode> rows = ArmInsightReads.list(query.calls(), connections.forAccount(query.account()),
                "Consumption reservation recommendations of " + scope, path(scope, query.lookback()));
        List<Recommendation> out = new ArrayList<>();
        for (JsonNode row : rows) {
            Recommendation r = parse(query, row);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private Recommendation parse(InsightQuery query, JsonNode row) {
        JsonNode p = row.path("properties");
        boolean modern = "modern".equalsIgnoreCase(row.path("kind").asText(""));
        String sku = modern ? ArmInsightReads.text(p, "skuName") : ArmInsightReads.text(row, "sku");
        if (sku == null) {
            sku = ArmInsightReads.text(p, "normalizedSize");
        }
        String location = modern ? ArmInsightReads.text(p, "location") : ArmInsightReads.text(row, "location");
        if (location == null) {
            location = ArmInsightReads.text(row, "location");
        }
        Term term = AzureInventory.term(ArmInsightReads.text(p, "term"));
        BigDecimal quantity = ArmInsightReads.decimal(p.path("recommendedQuantity"));
        String resourceType = canonicalResourceType(ArmInsightReads.text(p, "resourceType"));
        if (sku == null || location == null || term != query.term() || quantity == null || quantity.intValue() < 1
                || resourceType == null) {
            return null;
        }
        int days = lookbackDays(p.path("lookBackPeriod"), query.lookback());
        String currency = currency(p, "USD");
        Money savings = monthly(p.path("netSavings"), currency, days);
        Money withRi = monthly(p.path("totalCostWithReservedInstances"), currency, days);
        Money withoutRi = monthly(p.path("costWithNoReservedInstances"), currency, days);
        if (savings == null) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("reservedResourceType", resourceType);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("kind", modern ? "modern" : "legacy");
        put(details, "scope", ArmInsightReads.text(p, "scope"));
        put(details, "subscriptionId", ArmInsightReads.text(p, "subscriptionId"));
        put(details, "recommendedQuantityNormalized", ArmInsightReads.text(p, "recommendedQuantityNormalized"));
        put(details, "normalizedSize", ArmInsightReads.text(p, "normalizedSize"));
        put(details, "instanceFlexibilityGroup", ArmInsightReads.text(p, "instanceFlexibilityGroup"));
        put(details, "instanceFlexibilityRatio", ArmInsightReads.text(p, "instanceFlexibilityRatio"));
        put(details, "meterId", ArmInsightReads.text(p, "meterId"));
        put(details, "firstUsageDate", ArmInsightReads.text(p, "firstUsageDate"));
        if (withoutRi != null) {
            details.put("monthlyCostWithoutReservation", withoutRi.amount().toPlainString());
        }
        if (withRi != null) {
            details.put("monthlyCostWithReservation", withRi.amount().toPlainString());
        }
        details.put("quantityAsSent", quantity.stripTrailingZeros().toPlainString());
        Instant generated = ArmInsightReads.instant(p.path("lastUsageDate"));
        return new Recommendation(type(), query.account(), location.replace(" ", "").toLowerCase(Locale.ROOT), sku,
                quantity.setScale(0, RoundingMode.DOWN).intValue(), null, term, PaymentOption.MONTHLY, attributes,
                savings, new Money(BigDecimal.ZERO, currency), withRi, BigDecimal.ZERO, "P" + days + "D",
                row.path("id").asText(row.path("name").asText("")), null, generated, details);
    }

    static String canonicalResourceType(String given) {
        if (given == null) {
            return null;
        }
        return ReservationOrderAliasExecutor.RESERVED_RESOURCE_TYPES.stream()
                .filter(t -> t.equalsIgnoreCase(given.trim())).findFirst().orElse(null);
    }

    /** {@code Last30Days} (legacy) or {@code 30} (modern); the asked window when neither. */
    static int lookbackDays(JsonNode n, Lookback asked) {
        if (n.isNumber()) {
            return n.intValue();
        }
        String t = n.asText("").replaceAll("[^0-9]", "");
        return t.isEmpty() ? asked.days() : Integer.parseInt(t);
    }

    /** The currency of a modern row's money objects, else {@code fallback}. */
    static String currency(JsonNode p, String fallback) {
        for (String f : List.of("netSavings", "costWithNoReservedInstances", "totalCostWithReservedInstances")) {
            String c = p.path(f).path("currency").asText("");
            if (c.matches("[A-Z]{3}")) {
                return c;
            }
        }
        return fallback;
    }

    /** A money field (a number, or {@code {currency, value}}) over {@code days} scaled to a 730-hour month. */
    static Money monthly(JsonNode n, String currency, int days) {
        BigDecimal amount = ArmInsightReads.decimal(n.isObject() ? n.path("value") : n);
        if (amount == null || days < 1) {
            return null;
        }
        return new Money(amount.multiply(HOURS_PER_MONTH).divide(BigDecimal.valueOf(days * 24L), 2,
                RoundingMode.HALF_UP), currency);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }
}
