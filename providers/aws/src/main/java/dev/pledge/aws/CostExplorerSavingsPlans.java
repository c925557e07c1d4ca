package dev.pledge.aws;

import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.Lookback;
import dev.pledge.common.insight.Money;
import dev.pledge.common.insight.Recommendation;
import dev.pledge.common.insight.RecommendationSource;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.costexplorer.model.GetSavingsPlansPurchaseRecommendationRequest;
import software.amazon.awssdk.services.costexplorer.model.GetSavingsPlansPurchaseRecommendationResponse;
import software.amazon.awssdk.services.costexplorer.model.SavingsPlansPurchaseRecommendationDetail;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Savings Plans recommendations from Cost Explorer's {@code GetSavingsPlansPurchaseRecommendation}, for
 * Compute and EC2 Instance plans, every page followed (the SDK has no paginator for it). The hourly
 * commitment goes into the purchase as {@code attributes.hourlyCommitment}, cut to the three decimals the
 * purchase takes.
 */
final class CostExplorerSavingsPlans implements RecommendationSource {
    static final String GLOBAL = "global";
    private static final BigDecimal HOURS_PER_MONTH = new BigDecimal("730");
    private final AwsClients clients;

    CostExplorerSavingsPlans(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.AWS_SAVINGS_PLAN;
    }

    static String lookback(Lookback l) {
        return switch (l) {
            case SEVEN_DAYS -> "SEVEN_DAYS";
            case SIXTY_DAYS -> "SIXTY_DAYS";
            default -> "THIRTY_DAYS";
        };
    }

    @Override
    public List<Recommendation> fetch(InsightQuery query) {
        PaymentOption payment = query.payment() == null ? PaymentOption.NO_UPFRONT : query.payment();
        CostExplorerClient ce = CostExplorerRecommendations.client(clients, query.account());
        // the two plan types at once, within the refresh's limit; each one's pages in turn
        return query.calls().each(List.of("COMPUTE_SP", "EC2_INSTANCE_SP"), planType -> {
            List<Recommendation> out = new ArrayList<>();
            String token = null;
            do {
                GetSavingsPlansPurchaseRecommendationRequest request = GetSavingsPlansPurchaseRecommendationRequest
                        .builder()
                        .savingsPlansType(planType)
                        .termInYears(AwsTerms.termInYears(query.term()))
                        .paymentOption(AwsTerms.paymentOption(payment))
                        .lookbackPeriodInDays(lookback(query.lookback()))
                        .accountScope("LINKED")
                        .filter(f -> f.dimensions(d -> d.key("LINKED_ACCOUNT").values(query.account())))
                        .nextPageToken(token)
                        .overrideConfiguration(clients.as(query.account()))
                        .build();
                GetSavingsPlansPurchaseRecommendationResponse page = AwsInsightFailures.withBackoff(
                        "Cost Explorer GetSavingsPlansPurchaseRecommendation (" + planType + ") for "
                                + query.account(), clients, () -> ce.getSavingsPlansPurchaseRecommendation(request));
                Instant generated = page.metadata() == null ? null
                        : AwsTerms.instant(page.metadata().generationTimestamp());
                String id = page.metadata() == null ? null : page.metadata().recommendationId();
                if (page.savingsPlansPurchaseRecommendation() != null) {
                    for (SavingsPlansPurchaseRecommendationDetail d : page.savingsPlansPurchaseRecommendation()
                            .savingsPlansPurchaseRecommendationDetails()) {
                        Recommendation r = parse(query, payment, planType, id, generated, d);
                        if (r != null) {
                            out.add(r);
                        }
                    }
                }
                token = page.nextPageToken();
            } while (token != null && !token.isEmpty());
            return out;
        });
    }

    private Recommendation parse(InsightQuery query, PaymentOption payment, String planType, String id,
                                 Instant generated, SavingsPlansPurchaseRecommendationDetail d) {
        BigDecimal hourly = AwsTerms.decimal("HourlyCommitmentToPurchase", d.hourlyCommitmentToPurchase());
        if (hourly == null) {
            return null;
        }
        // the purchase takes at most three decimals: round down, never commit more than recommended
        hourly = hourly.setScale(3, RoundingMode.DOWN).stripTrailingZeros();
        if (hourly.signum() <= 0) {
            return null;
        }
        String currency = d.currencyCode() == null ? "USD" : d.currencyCode();
        boolean compute = "COMPUTE_SP".equals(planType);
        var spDetails = d.savingsPlansDetails();
        String region = compute ? GLOBAL : spDetails == null ? null : AwsTerms.region(spDetails.region());
        String family = spDetails == null ? null : spDetails.instanceFamily();
        if (region == null || (!compute && family == null)) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(SavingsPlanExecutor.HOURLY_COMMITMENT, hourly.toPlainString());
        if (!compute) {
            attributes.put(SavingsPlanExecutor.INSTANCE_FAMILY, family);
        }
        BigDecimal upfront = AwsTerms.decimal("UpfrontCost", d.upfrontCost());
        upfront = upfront == null ? BigDecimal.ZERO : upfront;
        if (payment == PaymentOption.PARTIAL_UPFRONT) {
            attributes.put(SavingsPlanExecutor.UPFRONT_AMOUNT, upfront.setScale(2, RoundingMode.HALF_UP).toPlainString());
        }
        BigDecimal months = BigDecimal.valueOf(query.term().years() * 12L);
        BigDecimal recurring = payment == PaymentOption.ALL_UPFRONT ? BigDecimal.ZERO
                : hourly.multiply(HOURS_PER_MONTH).subtract(upfront.divide(months, 2, RoundingMode.HALF_UP))
                .max(BigDecimal.ZERO);
        BigDecimal savings = AwsTerms.decimal("EstimatedMonthlySavingsAmount", d.estimatedMonthlySavingsAmount());
        savings = savings == null ? BigDecimal.ZERO : savings;
        BigDecimal breakEven = upfront.signum() == 0 ? BigDecimal.ZERO : savings.signum() <= 0 ? null
                : upfront.divide(savings.add(upfront.divide(months, 6, RoundingMode.HALF_UP)), 2, RoundingMode.HALF_UP);
        Map<String, String> details = new LinkedHashMap<>();
        CostExplorerRecommendations.put(details, "currentMinimumHourlyOnDemandSpend", d.currentMinimumHourlyOnDemandSpend());
        CostExplorerRecommendations.put(details, "currentAverageHourlyOnDemandSpend", d.currentAverageHourlyOnDemandSpend());
        CostExplorerRecommendations.put(details, "currentMaximumHourlyOnDemandSpend", d.currentMaximumHourlyOnDemandSpend());
        CostExplorerRecommendations.put(details, "estimatedAverageUtilization", d.estimatedAverageUtilization());
        CostExplorerRecommendations.put(details, "estimatedSavingsPercentage", d.estimatedSavingsPercentage());
        CostExplorerRecommendations.put(details, "estimatedROI", d.estimatedROI());
        CostExplorerRecommendations.put(details, "estimatedOnDemandCost", d.estimatedOnDemandCost());
        CostExplorerRecommendations.put(details, "estimatedSPCost", d.estimatedSPCost());
        CostExplorerRecommendations.put(details, "recommendedHourlyCommitment", d.hourlyCommitmentToPurchase());
        if (spDetails != null) {
            CostExplorerRecommendations.put(details, "offeringId", spDetails.offeringId());
        }
        String account = d.accountId() == null ? query.account() : d.accountId();
        String cloudId = d.recommendationDetailId() != null ? d.recommendationDetailId()
                : (id == null ? "ce" : id) + ":" + account + ":" + planType + ":" + region + ":" + family;
        return new Recommendation(type(), account, region, compute ? "Compute" : "EC2Instance", 1, hourly,
                query.term(), payment, attributes, new Money(savings, currency), new Money(upfront, currency),
                new Money(recurring.setScale(2, RoundingMode.HALF_UP), currency), breakEven, query.lookback().iso(),
                cloudId, null, generated, details);
    }
}
