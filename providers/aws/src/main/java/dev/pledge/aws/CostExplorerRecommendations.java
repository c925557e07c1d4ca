package dev.pledge.aws;

import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.Money;
import dev.pledge.common.insight.Recommendation;
import dev.pledge.common.insight.RecommendationSource;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.costexplorer.model.GetReservationPurchaseRecommendationRequest;
import software.amazon.awssdk.services.costexplorer.model.GetReservationPurchaseRecommendationResponse;
import software.amazon.awssdk.services.costexplorer.model.InstanceDetails;
import software.amazon.awssdk.services.costexplorer.model.ReservationPurchaseRecommendation;
import software.amazon.awssdk.services.costexplorer.model.ReservationPurchaseRecommendationDetail;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reserved-capacity recommendations from Cost Explorer's {@code GetReservationPurchaseRecommendation}, one
 * source per reserved service, every page followed. Cost Explorer is global (us-east-1) and billed per
 * request: called on refresh only. The recommended count is used as sent (Cost Explorer sizes by the
 * smallest size of a size-flexible family and reports min/avg/max use per hour in the details).
 */
final class CostExplorerRecommendations implements RecommendationSource {
    static final String REGION = "us-east-1";
    private final AwsClients clients;
    private final CommitmentType type;
    private final String service;
    private final Integer pageSize;

    CostExplorerRecommendations(AwsClients clients, CommitmentType type, String service) {
        this(clients, type, service, null);
    }

    /** {@code pageSize} null: Cost Explorer's default. */
    CostExplorerRecommendations(AwsClients clients, CommitmentType type, String service, Integer pageSize) {
        this.clients = clients;
        this.type = type;
        this.service = service;
        this.pageSize = pageSize;
    }

    static List<RecommendationSource> all(AwsClients clients) {
        return List.of(
                new CostExplorerRecommendations(clients, CommitmentType.AWS_EC2, "Amazon Elastic Compute Cloud - Compute"),
                new CostExplorerRecommendations(clients, CommitmentType.AWS_RDS, "Amazon Relational Database Service"),
                new CostExplorerRecommendations(clients, CommitmentType.AWS_ELASTICACHE, "Amazon ElastiCache"),
                new CostExplorerRecommendations(clients, CommitmentType.AWS_OPENSEARCH, "Amazon OpenSearch Service"),
                new CostExplorerRecommendations(clients, CommitmentType.AWS_REDSHIFT, "Amazon Redshift"),
                new CostExplorerRecommendations(clients, CommitmentType.AWS_MEMORYDB, "Amazon MemoryDB Service"),
                new CostExplorerSavingsPlans(clients));
    }

    /** The shared Cost Explorer client; every request names the account with {@link AwsClients#as}. */
    static CostExplorerClient client(AwsClients clients, String account) {
        clients.checkCredentials(account);
        return clients.readClient(AwsService.COST_EXPLORER, CostExplorerClient.class, REGION);
    }

    @Override
    public CommitmentType type() {
        return type;
    }

    @Override
    public List<Recommendation> fetch(InsightQuery query) {
        PaymentOption payment = query.payment() == null ? PaymentOption.NO_UPFRONT : query.payment();
        GetReservationPurchaseRecommendationRequest.Builder request = GetReservationPurchaseRecommendationRequest
                .builder()
                .accountId(query.account())
                .accountScope("LINKED")
                .service(service)
                .lookbackPeriodInDays(CostExplorerSavingsPlans.lookback(query.lookback()))
                .termInYears(AwsTerms.termInYears(query.term()))
                .paymentOption(AwsTerms.paymentOption(payment))
                .pageSize(pageSize)
                .overrideConfiguration(clients.as(query.account()));
        if (type == CommitmentType.AWS_EC2) {
            request.serviceSpecification(s -> s.ec2Specification(e -> e.offeringClass("STANDARD")));
        }
        List<Recommendation> out = new ArrayList<>();
        String token = null;
        CostExplorerClient ce = client(clients, query.account());
        do {
            GetReservationPurchaseRecommendationRequest pageRequest = request.nextPageToken(token).build();
            GetReservationPurchaseRecommendationResponse page = query.calls().call(() -> AwsInsightFailures.withBackoff(
                    "Cost Explorer GetReservationPurchaseRecommendation for " + type.slug() + " in " + query.account(),
                    clients, () -> ce.getReservationPurchaseRecommendation(pageRequest)));
            String id = page.metadata() == null ? null : page.metadata().recommendationId();
            Instant generated = page.metadata() == null ? null : AwsTerms.instant(page.metadata().generationTimestamp());
            for (ReservationPurchaseRecommendation r : page.recommendations()) {
                for (ReservationPurchaseRecommendationDetail d : r.recommendationDetails()) {
                    Recommendation parsed = parse(query, payment, id, generated, d);
                    if (parsed != null) {
                        out.add(parsed);
                    }
                }
            }
            token = page.nextPageToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private Recommendation parse(InsightQuery query, PaymentOption payment, String recommendationId,
                                 Instant generated, ReservationPurchaseRecommendationDetail d) {
        BigDecimal count = AwsTerms.decimal("RecommendedNumberOfInstancesToPurchase",
                d.recommendedNumberOfInstancesToPurchase());
        if (count == null || count.intValue() < 1) {
            return null;
        }
        Product p = product(d.instanceDetails());
        if (p == null || p.region == null) {
            return null;
        }
        String currency = d.currencyCode() == null ? "USD" : d.currencyCode();
        String account = d.accountId() == null ? query.account() : d.accountId();
        Map<String, String> details = new LinkedHashMap<>();
        put(details, "minimumInstancesPerHour", d.minimumNumberOfInstancesUsedPerHour());
        put(details, "averageInstancesPerHour", d.averageNumberOfInstancesUsedPerHour());
        put(details, "maximumInstancesPerHour", d.maximumNumberOfInstancesUsedPerHour());
        put(details, "minimumNormalizedUnitsPerHour", d.minimumNormalizedUnitsUsedPerHour());
        put(details, "averageNormalizedUnitsPerHour", d.averageNormalizedUnitsUsedPerHour());
        put(details, "maximumNormalizedUnitsPerHour", d.maximumNormalizedUnitsUsedPerHour());
        put(details, "recommendedNormalizedUnits", d.recommendedNormalizedUnitsToPurchase());
        put(details, "averageUtilization", d.averageUtilization());
        put(details, "estimatedMonthlySavingsPercentage", d.estimatedMonthlySavingsPercentage());
        put(details, "estimatedMonthlyOnDemandCost", d.estimatedMonthlyOnDemandCost());
        put(details, "estimatedReservationCostForLookbackPeriod", d.estimatedReservationCostForLookbackPeriod());
        details.putAll(p.extra);
        String cloudId = (recommendationId == null ? "ce" : recommendationId) + ":" + account + ":" + p.region + ":"
                + p.offering + p.attributes.values().stream().map(v -> ":" + v).reduce("", String::concat);
        return new Recommendation(type, account, p.region, p.offering, count.intValue(), null, query.term(), payment,
                p.attributes,
                money("EstimatedMonthlySavingsAmount", d.estimatedMonthlySavingsAmount(), currency, true),
                money("UpfrontCost", d.upfrontCost(), currency, true),
                money("RecurringStandardMonthlyCost", d.recurringStandardMonthlyCost(), currency, true),
                AwsTerms.decimal("EstimatedBreakEvenInMonths", d.estimatedBreakEvenInMonths()),
                query.lookback().iso(), cloudId, null, generated, details);
    }

    static Money money(String field, String value, String currency, boolean zeroWhenMissing) {
        BigDecimal amount = AwsTerms.decimal(field, value);
        if (amount == null && zeroWhenMissing) {
            amount = BigDecimal.ZERO;
        }
        return Money.orNull(amount, currency);
    }

    static void put(Map<String, String> details, String key, String value) {
        if (value != null && !value.isBlank()) {
            details.put(key, value);
        }
    }

    private record Product(String offering, String region, Map<String, String> attributes, Map<String, String> extra) {
    }

    /** The product in purchase vocabulary: instance / node type and the attributes the executor reads. */
    private Product product(InstanceDetails i) {
        if (i == null) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, String> extra = new LinkedHashMap<>();
        switch (type) {
            case AWS_EC2 -> {
                var e = i.ec2InstanceDetails();
                if (e == null) {
                    return null;
                }
                attributes.put(Ec2ReservedInstanceExecutor.PRODUCT_DESCRIPTION, e.platform() == null ? "Linux/UNIX"
                        : e.platform());
                attributes.put(Ec2ReservedInstanceExecutor.OFFERING_CLASS, "standard");
                put(extra, "family", e.family());
                put(extra, "tenancy", e.tenancy());
                put(extra, "availabilityZone", e.availabilityZone());
                return new Product(e.instanceType(), AwsTerms.region(e.region()), attributes, extra);
            }
            case AWS_RDS -> {
                var r = i.rdsInstanceDetails();
                if (r == null) {
                    return null;
                }
                if (r.databaseEngine() != null) {
                    attributes.put(RdsReservedInstanceExecutor.PRODUCT_DESCRIPTION,
                            r.databaseEngine().toLowerCase(Locale.ROOT));
                }
                if (r.deploymentOption() != null && r.deploymentOption().toLowerCase(Locale.ROOT).contains("multi")) {
                    attributes.put(RdsReservedInstanceExecutor.MULTI_AZ, "true");
                }
                put(extra, "family", r.family());
                put(extra, "licenseModel", r.licenseModel());
                put(extra, "databaseEdition", r.databaseEdition());
                return new Product(r.instanceType(), AwsTerms.region(r.region()), attributes, extra);
            }
            case AWS_ELASTICACHE -> {
                var c = i.elastiCacheInstanceDetails();
                if (c == null) {
                    return null;
                }
                if (c.productDescription() != null) {
                    attributes.put(ElastiCacheReservedNodeExecutor.PRODUCT_DESCRIPTION,
                            c.productDescription().toLowerCase(Locale.ROOT));
                }
                put(extra, "family", c.family());
                return new Product(c.nodeType(), AwsTerms.region(c.region()), attributes, extra);
            }
            case AWS_OPENSEARCH -> {
                var s = i.esInstanceDetails();
                if (s == null || s.instanceClass() == null) {
                    return null;
                }
                // unconfirmed whether InstanceSize carries the ".search" suffix: both forms give the purchase name
                String size = s.instanceSize() == null ? "" : s.instanceSize();
                String offering = s.instanceClass() + (size.isEmpty() ? "" : "." + size);
                if (!offering.endsWith(".search") && !offering.endsWith(".elasticsearch")) {
                    offering = offering + ".search";
                }
                return new Product(offering, AwsTerms.region(s.region()), attributes, extra);
            }
            case AWS_REDSHIFT -> {
                var s = i.redshiftInstanceDetails();
                if (s == null) {
                    return null;
                }
                put(extra, "family", s.family());
                return new Product(s.nodeType(), AwsTerms.region(s.region()), attributes, extra);
            }
            case AWS_MEMORYDB -> {
                var m = i.memoryDBInstanceDetails();
                if (m == null) {
                    return null;
                }
                put(extra, "family", m.family());
                return new Product(m.nodeType(), AwsTerms.region(m.region()), attributes, extra);
            }
            default -> {
                return null;
            }
        }
    }
}
