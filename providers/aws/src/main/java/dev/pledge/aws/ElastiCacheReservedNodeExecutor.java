package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.DescribeReservedCacheNodesOfferingsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReservedCacheNodesRequest;
import software.amazon.awssdk.services.elasticache.model.RecurringCharge;
import software.amazon.awssdk.services.elasticache.model.ReservedCacheNode;
import software.amazon.awssdk.services.elasticache.model.ReservedCacheNodesOffering;
import software.amazon.awssdk.services.elasticache.model.Tag;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** ElastiCache reserved cache nodes, keyed by {@code ReservedCacheNodeId}. */
final class ElastiCacheReservedNodeExecutor extends KeyedExecutor {
    static final String PRODUCT_DESCRIPTION = "productDescription";

    ElastiCacheReservedNodeExecutor(AwsClients clients) {
        super(clients, CommitmentType.AWS_ELASTICACHE);
    }

    private ElastiCacheClient elastiCache(CommitmentRequest r) {
        return elastiCache(r, AwsClients.Attempts.BOUNDED);
    }

    private ElastiCacheClient elastiCache(CommitmentRequest r, AwsClients.Attempts attempts) {
        return clients.client(AwsService.ELASTICACHE, ElastiCacheClient.class, r.account(), r.region(), attempts);
    }

    @Override
    Set<String> attributeNames() {
        return Set.of(PRODUCT_DESCRIPTION);
    }

    @Override
    String keyName() {
        return "ReservedCacheNodeId";
    }

    @Override
    String alreadyExistsCode() {
        return "ReservedCacheNodeAlreadyExists";
    }

    @Override
    Optional<OfferingRef> findOffering(CommitmentRequest r) {
        DescribeReservedCacheNodesOfferingsRequest.Builder q = DescribeReservedCacheNodesOfferingsRequest.builder()
                .cacheNodeType(r.offering()).duration(String.valueOf(durationSeconds(r))).offeringType(offeringType(r));
        if (r.attribute(PRODUCT_DESCRIPTION) != null) {
            q.productDescription(r.attribute(PRODUCT_DESCRIPTION));
        }
        List<ReservedCacheNodesOffering> found = elastiCache(r).describeReservedCacheNodesOfferingsPaginator(q.build())
                .reservedCacheNodesOfferings().stream().toList();
        if (found.size() > 1 && r.attribute(PRODUCT_DESCRIPTION) == null) {
            throw new ValidationException("attributes." + PRODUCT_DESCRIPTION, "is required to choose among "
                    + found.stream().map(ReservedCacheNodesOffering::productDescription).distinct().sorted().toList()
                    + " for " + r.offering());
        }
        return found.stream().findFirst().map(o -> new OfferingRef(o.reservedCacheNodesOfferingId(),
                o.cacheNodeType(), "USD", OfferingRef.amount(o.fixedPrice()), hourly(o.recurringCharges())));
    }

    static BigDecimal hourly(List<RecurringCharge> charges) {
        return charges.stream().filter(c -> "Hourly".equalsIgnoreCase(c.recurringChargeFrequency()))
                .map(c -> OfferingRef.amount(c.recurringChargeAmount())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    Optional<AwsReservation> describeByKey(CommitmentRequest r, String key) {
        try {
            return elastiCache(r).describeReservedCacheNodes(q -> q.reservedCacheNodeId(key)).reservedCacheNodes()
                    .stream().findFirst().map(ElastiCacheReservedNodeExecutor::reservation);
        } catch (SdkException e) {
            if (AwsFailures.hasCode(e, "ReservedCacheNodeNotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    AwsReservation buy(CommitmentRequest r, OfferingRef offering, String key, Map<String, String> tags) {
        return reservation(elastiCache(r, AwsClients.Attempts.ONCE).purchaseReservedCacheNodesOffering(q -> q
                        .reservedCacheNodesOfferingId(offering.offeringId())
                        .reservedCacheNodeId(key)
                        .cacheNodeCount(r.quantity())
                        .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                                .toList()))
                .reservedCacheNode());
    }

    @Override
    List<AwsReservation> listReservations(CommitmentRequest r) {
        return elastiCache(r).describeReservedCacheNodesPaginator(DescribeReservedCacheNodesRequest.builder()
                        .cacheNodeType(r.offering()).build())
                .reservedCacheNodes().stream().map(ElastiCacheReservedNodeExecutor::reservation).toList();
    }

    private static AwsReservation reservation(ReservedCacheNode n) {
        return new AwsReservation(n.reservedCacheNodeId(), n.reservedCacheNodeId(), n.reservedCacheNodesOfferingId(),
                n.cacheNodeType(), n.cacheNodeCount() == null ? 0 : n.cacheNodeCount(), n.startTime(), n.state(),
                n.offeringType(), n.duration() == null ? 0 : n.duration(), Map.of());
    }
}
