package dev.pledge.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.Money;
import dev.pledge.common.insight.Recommendation;
import dev.pledge.common.insight.RecommendationSource;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Savings-plan recommendations from {@code GET {billingScope}/providers/Microsoft.CostManagement/
 * benefitRecommendations} (api-version 2022-10-01), filtered on Shared scope, the lookback window and the term,
 * with the usage and the alternatives expanded, every page. A row recommends an hourly commitment
 * ({@code recommendationDetails.commitmentAmount}) of {@code armSkuName} (Compute_Savings_Plan); its costs and
 * savings cover the lookback window and are scaled to a 730-hour month. Proposed as a monthly plan.
 */
final class BenefitRecommendations implements RecommendationSource {
    static final String API_VERSION = "2022-10-01";

    private final ArmConnections connections;

    BenefitRecommendations(ArmConnections connections) {
        this.connections = connections;
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.AZURE_SAVINGS_PLAN;
    }

    static String path(String scope, InsightQuery query) {
        String filter = "properties/scope eq 'Shared' and properties/lookBackPeriod eq '"
                + ReservationRecommendations.lookbackWord(query.lookback()) + "' and properties/term eq '"
                + query.term().iso() + "'";
        return scope + "/providers/Microsoft.CostManagement/benefitRecommendations?api-version=" + API_VERSION
                + "&$filter=" + ArmInsightReads.encode(filter)
                + "&$expand=" + ArmInsightReads.encode("properties/usage,properties/allRecommendationDetails");
    }

    @Override
    public List<Recommendation> fetch(InsightQuery query) {
        String scope = ArmInsightReads.scope(query.account());
        List<JsonNode> rows = ArmInsightReads.list(query.calls(), connections.forAccount(query.account()),
                "Cost Management benefit recommendations of " + scope, path(scope, query));
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
        JsonNode d = p.path("recommendationDetails");
        BigDecimal hourly = ArmInsightReads.decimal(d.path("commitmentAmount"));
        Term term = AzureInventory.term(ArmInsightReads.text(p, "term"));
        String sku = p.path("armSkuName").asText(SavingsPlanOrderAliasExecutor.COMPUTE_SAVINGS_PLAN);
        if (hourly == null || hourly.signum() <= 0 || term == null || term != query.term()
                || !sku.equalsIgnoreCase(SavingsPlanOrderAliasExecutor.COMPUTE_SAVINGS_PLAN)
                || !"Hourly".equalsIgnoreCase(p.path("commitmentGranularity").asText("Hourly"))) {
            return null;
        }
        String currency = p.path("currencyCode").asText("USD");
        int days = ReservationRecommendations.lookbackDays(p.path("lookBackPeriod"), query.lookback());
        Money savings = ReservationRecommendations.monthly(d.path("savingsAmount"), currency, days);
        Money benefitCost = ReservationRecommendations.monthly(d.path("benefitCost"), currency, days);
        if (savings == null) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("hourlyCommitment", hourly.stripTrailingZeros().toPlainString());
        attributes.put("currency", currency);
        Map<String, String> details = new LinkedHashMap<>();
        put(details, "scope", ArmInsightReads.text(p, "scope"));
        put(details, "savingsPercentage", ArmInsightReads.text(d, "savingsPercentage"));
        put(details, "coveragePercentage", ArmInsightReads.text(d, "coveragePercentage"));
        put(details, "averageUtilizationPercentage", ArmInsightReads.text(d, "averageUtilizationPercentage"));
        put(details, "firstConsumptionDate", ArmInsightReads.text(p, "firstConsumptionDate"));
        put(details, "lastConsumptionDate", ArmInsightReads.text(p, "lastConsumptionDate"));
        for (String f : List.of("costWithoutBenefit", "totalCost", "wastageCost", "overageCost")) {
            JsonNode n = f.equals("costWithoutBenefit") ? p.path(f) : d.path(f);
            Money m = ReservationRecommendations.monthly(n, currency, days);
            if (m != null) {
                details.put("monthly" + Character.toUpperCase(f.charAt(0)) + f.substring(1), m.amount().toPlainString());
            }
        }
        details.put("alternatives", String.valueOf(p.path("allRecommendationDetails").path("value").size()));
        return new Recommendation(type(), query.account(), "global", SavingsPlanOrderAliasExecutor.COMPUTE_SAVINGS_PLAN,
                1, hourly, term, PaymentOption.MONTHLY, attributes, savings, new Money(BigDecimal.ZERO, currency),
                benefitCost != null ? benefitCost : new Money(hourly.multiply(ReservationRecommendations.HOURS_PER_MONTH)
                        .setScale(2, RoundingMode.HALF_UP), currency), BigDecimal.ZERO, "P" + days + "D",
                row.path("id").asText(row.path("name").asText("")), null,
                ArmInsightReads.instant(p.path("lastConsumptionDate")), details);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }
}
