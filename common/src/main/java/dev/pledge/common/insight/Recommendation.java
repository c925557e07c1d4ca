package dev.pledge.common.insight;

import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a cloud recommends buying, normalized: {@link #type}, {@link #account}, {@link #region},
 * {@link #offering}, {@link #quantity}, {@link #term}, {@link #payment} and {@link #purchaseAttributes} are
 * exactly what a {@link dev.pledge.common.model.CommitmentRequest} takes, so a recommendation becomes a
 * purchase item without translation. Money is decimal with a currency.
 *
 * @param type                    the commitment type
 * @param account                 the account it is for (AWS account, Azure subscription / scope, GCP project)
 * @param region                  region, location or {@code global} (AWS Compute Savings Plans)
 * @param offering                product: instance / node type, plan type ({@code Compute}), SKU, CUD type
 * @param quantity                how many to buy (1 for plans bought by amount)
 * @param hourlyCommitment        for plans bought by amount: the hourly commitment, else null
 * @param term                    the term
 * @param payment                 the payment option; null for GCP
 * @param purchaseAttributes      the type-specific attributes of the purchase request (engine, family, vCPUs...)
 * @param monthlySavings          estimated savings per month
 * @param upfrontCost             one-time cost of buying it, zero when none
 * @param monthlyRecurringCost    recurring cost per month
 * @param breakEvenMonths         months until the savings pay the upfront cost back, null when not reported
 * @param lookback                the usage window it is based on, e.g. {@code P30D}
 * @param cloudRecommendationId   the cloud's own id (AWS RecommendationId/RecommendationDetailId, Azure id,
 *                                GCP recommendation name)
 * @param etag                    the cloud's version tag where it has one (GCP, for markClaimed), else null
 * @param generatedAt             when the cloud generated it
 * @param details                 what the estimate rests on (min/avg/max usage per hour, utilization, ...), sorted
 */
public record Recommendation(CommitmentType type, String account, String region, String offering, int quantity,
                             BigDecimal hourlyCommitment, Term term, PaymentOption payment,
                             Map<String, String> purchaseAttributes, Money monthlySavings, Money upfrontCost,
                             Money monthlyRecurringCost, BigDecimal breakEvenMonths, String lookback,
                             String cloudRecommendationId, String etag, Instant generatedAt,
                             Map<String, String> details) {

    public Recommendation {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(offering, "offering");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(monthlySavings, "monthlySavings");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
        }
        purchaseAttributes = purchaseAttributes == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(purchaseAttributes));
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }
}
