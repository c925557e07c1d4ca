package dev.pledge.app.recommendation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored recommendation as the API shows it. Amounts are decimals in {@code currency}; {@code refreshedAt}
 * and {@code stale} say how fresh its source is; {@code proposedAs} is the purchase proposed from it.
 */
public record RecommendationView(UUID id, long generation, String cloud, String type, UUID account,
                                 String accountExternalId, String region, String offering, int quantity,
                                 BigDecimal hourlyCommitment, String term, String payment,
                                 Map<String, String> attributes, String currency, BigDecimal monthlySavings,
                                 BigDecimal upfrontCost, BigDecimal monthlyRecurringCost, BigDecimal breakEvenMonths,
                                 String lookback, String cloudRecommendationId, Instant generatedAt,
                                 Instant refreshedAt, boolean stale, String staleReason, boolean recentlyBought,
                                 UUID proposedAs, Map<String, String> details) {
}
