package dev.pledge.aws;

import dev.pledge.common.insight.HeldCommitment;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.InventorySource;
import dev.pledge.common.insight.Money;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ReservedInstances;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.memorydb.MemoryDbClient;
import software.amazon.awssdk.services.memorydb.model.DescribeReservedNodesResponse;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DescribeReservedInstancesResponse;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.savingsplans.SavingsplansClient;
import software.amazon.awssdk.services.savingsplans.model.DescribeSavingsPlansResponse;
import software.amazon.awssdk.services.savingsplans.model.SavingsPlan;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The AWS inventory: the describe calls the guards use, per region, every page followed, plus
 * {@code DescribeSavingsPlans} (global). RDS, ElastiCache, MemoryDB, OpenSearch and Redshift report a start
 * and a duration only: the end is computed. A Pledge key is the {@code pledge:item-token} tag (EC2, Savings
 * Plans) or the caller-chosen id when it has Pledge's prefix (RDS, ElastiCache, MemoryDB, OpenSearch).
 */
final class AwsInventory implements InventorySource {
    static final List<String> DEFAULT_REGIONS = List.of("us-east-1");
    private static final Set<String> ACTIVE = Set.of("active", "payment-pending", "queued", "pending",
            "payment_pending", "pending-payment");
    private final AwsClients clients;
    private final CommitmentType type;

    AwsInventory(AwsClients clients, CommitmentType type) {
        this.clients = clients;
        this.type = type;
    }

    static List<InventorySource> all(AwsClients clients) {
        return List.of(CommitmentType.AWS_EC2, CommitmentType.AWS_RDS, CommitmentType.AWS_ELASTICACHE,
                        CommitmentType.AWS_MEMORYDB, CommitmentType.AWS_OPENSEARCH, CommitmentType.AWS_REDSHIFT,
                        CommitmentType.AWS_SAVINGS_PLAN).stream()
                .map(t -> (InventorySource) new AwsInventory(clients, t)).toList();
    }

    @Override
    public CommitmentType type() {
        return type;
    }

    @Override
    public List<HeldCommitment> list(InsightQuery query) {
        clients.checkCredentials(query.account());
        if (type == CommitmentType.AWS_SAVINGS_PLAN) {
            return query.calls().call(() -> call("DescribeSavingsPlans", query.account(),
                    () -> savingsPlans(query.account())));
        }
        // the regions at once, within the refresh's limit; each region's pages in turn
        return query.calls().each(query.regions().isEmpty() ? DEFAULT_REGIONS : query.regions(),
                region -> call("describe reserved " + type.slug() + " in " + region, query.account(),
                        () -> regional(query.account(), region)));
    }

    private <T> T call(String what, String account, java.util.function.Supplier<T> s) {
        return AwsInsightFailures.withBackoff(what + " for " + account, clients, s);
    }

    private <C extends software.amazon.awssdk.core.SdkClient> C client(AwsService service, Class<C> c, String region) {
        return clients.readClient(service, c, region);
    }

    private List<HeldCommitment> regional(String account, String region) {
        return switch (type) {
            case AWS_EC2 -> client(AwsService.EC2, Ec2Client.class, region).describeReservedInstances(b -> b
                            .overrideConfiguration(clients.as(account))).reservedInstances().stream().map(r -> ec2(account, region, r)).toList();
            case AWS_RDS -> client(AwsService.RDS, RdsClient.class, region)
                    .describeReservedDBInstancesPaginator(b -> b.overrideConfiguration(clients.as(account))).reservedDBInstances().stream()
                    .map(r -> held(account, region, r.reservedDBInstanceId(), ourId(r.reservedDBInstanceId()),
                            r.dbInstanceClass(), r.reservedDBInstancesOfferingId(), r.dbInstanceCount(),
                            r.duration() == null ? null : r.duration().longValue(), r.offeringType(), r.startTime(),
                            r.state(), AwsTerms.decimal(r.fixedPrice()), hourly(r.usagePrice(),
                                    r.recurringCharges(), x -> x.recurringChargeAmount(), x -> x.recurringChargeFrequency()),
                            r.currencyCode(), attributes("productDescription", r.productDescription(), "multiAz",
                                    r.multiAZ() == null ? null : r.multiAZ().toString())))
                    .toList();
            case AWS_ELASTICACHE -> client(AwsService.ELASTICACHE, ElastiCacheClient.class, region)
                    .describeReservedCacheNodesPaginator(b -> b.overrideConfiguration(clients.as(account))).reservedCacheNodes().stream()
                    .map(r -> held(account, region, r.reservedCacheNodeId(), ourId(r.reservedCacheNodeId()),
                            r.cacheNodeType(), r.reservedCacheNodesOfferingId(), r.cacheNodeCount(),
                            r.duration() == null ? null : r.duration().longValue(), r.offeringType(), r.startTime(),
                            r.state(), AwsTerms.decimal(r.fixedPrice()), hourly(r.usagePrice(),
                                    r.recurringCharges(), x -> x.recurringChargeAmount(), x -> x.recurringChargeFrequency()),
                            "USD", attributes("productDescription", r.productDescription())))
                    .toList();
            case AWS_MEMORYDB -> memoryDb(account, region);
            case AWS_OPENSEARCH -> openSearch(account, region);
            case AWS_REDSHIFT -> client(AwsService.REDSHIFT, RedshiftClient.class, region)
                    .describeReservedNodesPaginator(b -> b.overrideConfiguration(clients.as(account))).reservedNodes().stream()
                    .map(r -> held(account, region, r.reservedNodeId(), null, r.nodeType(),
                            r.reservedNodeOfferingId(), r.nodeCount(),
                            r.duration() == null ? null : r.duration().longValue(), r.offeringType(), r.startTime(),
                            r.state(), AwsTerms.decimal(r.fixedPrice()), hourly(r.usagePrice(),
                                    r.recurringCharges(), x -> x.recurringChargeAmount(), x -> x.recurringChargeFrequency()),
                            r.currencyCode(), Map.of()))
                    .toList();
            default -> List.of();
        };
    }

    private List<HeldCommitment> memoryDb(String account, String region) {
        MemoryDbClient c = client(AwsService.MEMORYDB, MemoryDbClient.class, region);
        var as = clients.as(account);
        List<HeldCommitment> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeReservedNodesResponse page = c.describeReservedNodes(b -> b.nextToken(t).overrideConfiguration(as));
            page.reservedNodes().forEach(r -> out.add(held(account, region, r.reservationId(), ourId(r.reservationId()),
                    r.nodeType(), r.reservedNodesOfferingId(), r.nodeCount(), r.duration() == null ? null : r.duration().longValue(), r.offeringType(),
                    r.startTime(), r.state(), AwsTerms.decimal(r.fixedPrice()), hourly(null, r.recurringCharges(),
                            x -> x.recurringChargeAmount(), x -> x.recurringChargeFrequency()), "USD", Map.of())));
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private List<HeldCommitment> openSearch(String account, String region) {
        OpenSearchClient c = client(AwsService.OPENSEARCH, OpenSearchClient.class, region);
        var as = clients.as(account);
        List<HeldCommitment> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeReservedInstancesResponse page = c.describeReservedInstances(b -> b.nextToken(t).overrideConfiguration(as));
            page.reservedInstances().forEach(r -> out.add(held(account, region, r.reservedInstanceId(),
                    ourId(r.reservationName()), r.instanceTypeAsString(), r.reservedInstanceOfferingId(),
                    r.instanceCount(), r.duration() == null ? null : r.duration().longValue(),
                    r.paymentOptionAsString(), r.startTime(), r.state(), AwsTerms.decimal(r.fixedPrice()),
                    hourly(r.usagePrice(), r.recurringCharges(), x -> x.recurringChargeAmount(),
                            x -> x.recurringChargeFrequency()), r.currencyCode(),
                    attributes("reservationName", r.reservationName()))));
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private HeldCommitment ec2(String account, String region, ReservedInstances r) {
        String key = r.tags().stream().filter(t -> AwsExecutor.TAG_ITEM.equals(t.key())).map(Tag::value).findFirst()
                .orElse(null);
        BigDecimal hourly = hourly(r.usagePrice(), r.recurringCharges(), x -> x.amount(), x -> x.frequencyAsString());
        int count = r.instanceCount() == null ? 0 : r.instanceCount();
        String currency = r.currencyCodeAsString() == null ? "USD" : r.currencyCodeAsString();
        Instant end = r.end() != null ? r.end() : r.start() == null || r.duration() == null ? null
                : r.start().plusSeconds(r.duration());
        return new HeldCommitment(type, account, region, r.reservedInstancesId(), key, r.instanceTypeAsString(),
                null, count, null, AwsTerms.term(r.duration()), payment(r.offeringTypeAsString()), r.start(), end,
                r.stateAsString(), isActive(r.stateAsString()), Money.orNull(AwsTerms.decimal(r.fixedPrice()) == null
                ? null : AwsTerms.decimal(r.fixedPrice()).multiply(BigDecimal.valueOf(count)), currency),
                Money.orNull(hourly == null ? null : hourly.multiply(BigDecimal.valueOf(count)), currency), null,
                attributes("productDescription", r.productDescriptionAsString(), "offeringClass",
                        r.offeringClassAsString(), "availabilityZone", r.availabilityZone(), "scope",
                        r.scopeAsString()));
    }

    private List<HeldCommitment> savingsPlans(String account) {
        SavingsplansClient c = client(AwsService.SAVINGSPLANS, SavingsplansClient.class,
                CostExplorerRecommendations.REGION);
        var as = clients.as(account);
        List<HeldCommitment> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeSavingsPlansResponse page = c.describeSavingsPlans(b -> b.nextToken(t).overrideConfiguration(as));
            for (SavingsPlan p : page.savingsPlans()) {
                String currency = p.currencyAsString() == null ? "USD" : p.currencyAsString();
                BigDecimal commitment = AwsTerms.decimal("commitment", p.commitment());
                BigDecimal upfront = AwsTerms.decimal("upfrontPaymentAmount", p.upfrontPaymentAmount());
                BigDecimal recurring = AwsTerms.decimal("recurringPaymentAmount", p.recurringPaymentAmount());
                String planType = p.savingsPlanTypeAsString();
                String region = p.region() == null || p.region().isBlank() || "Compute".equals(planType)
                        ? CostExplorerSavingsPlans.GLOBAL : p.region();
                out.add(new HeldCommitment(type, account, region, p.savingsPlanId(),
                        p.tags() == null ? null : p.tags().get(AwsExecutor.TAG_ITEM), planType, p.offeringId(), 1,
                        commitment, AwsTerms.term(p.termDurationInSeconds()), payment(p.paymentOptionAsString()),
                        AwsTerms.instant(p.start()), AwsTerms.instant(p.end()), p.stateAsString(),
                        isActive(p.stateAsString()), Money.orNull(upfront, currency), Money.orNull(recurring, currency),
                        null, attributes("instanceFamily", p.ec2InstanceFamily(), "savingsPlanArn",
                        p.savingsPlanArn())));
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private HeldCommitment held(String account, String region, String id, String key, String offering,
                                String offeringId, Integer count, Long durationSeconds, String offeringType,
                                Instant start, String state, BigDecimal fixedPrice, BigDecimal hourly,
                                String currency, Map<String, String> attributes) {
        int n = count == null ? 0 : count;
        String cur = currency == null ? "USD" : currency;
        Instant end = start == null || durationSeconds == null ? null : start.plusSeconds(durationSeconds);
        BigDecimal qty = BigDecimal.valueOf(n);
        return new HeldCommitment(type, account, region, id, key, offering, offeringId, n, null,
                AwsTerms.term(durationSeconds), payment(offeringType), start, end, state, isActive(state),
                Money.orNull(fixedPrice == null ? null : fixedPrice.multiply(qty), cur),
                Money.orNull(hourly == null ? null : hourly.multiply(qty), cur), null, attributes);
    }

    /** The usage price plus any hourly recurring charge, per unit per hour. */
    private static <R> BigDecimal hourly(Number usagePrice, List<R> recurring, Function<R, Number> amount,
                                         Function<R, String> frequency) {
        BigDecimal total = AwsTerms.decimal(usagePrice);
        for (R r : recurring == null ? List.<R>of() : recurring) {
            if (amount.apply(r) != null && "hourly".equalsIgnoreCase(String.valueOf(frequency.apply(r)))) {
                total = (total == null ? BigDecimal.ZERO : total).add(AwsTerms.decimal(amount.apply(r)));
            }
        }
        return total;
    }

    private static PaymentOption payment(String offeringType) {
        return AwsTerms.payment(offeringType);
    }

    private static String ourId(String id) {
        return id != null && id.startsWith(AwsExecutor.KEY_PREFIX) ? id : null;
    }

    private static boolean isActive(String state) {
        return state != null && ACTIVE.contains(state.toLowerCase(Locale.ROOT));
    }

    private static Map<String, String> attributes(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null && !keyValues[i + 1].isBlank()) {
                m.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }

}
