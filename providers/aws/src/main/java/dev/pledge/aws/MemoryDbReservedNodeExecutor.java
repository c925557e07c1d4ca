package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.memorydb.MemoryDbClient;
import software.amazon.awssdk.services.memorydb.model.DescribeReservedNodesOfferingsRequest;
import software.amazon.awssdk.services.memorydb.model.DescribeReservedNodesRequest;
import software.amazon.awssdk.services.memorydb.model.RecurringCharge;
import software.amazon.awssdk.services.memorydb.model.ReservedNode;
import software.amazon.awssdk.services.memorydb.model.Tag;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** MemoryDB reserved nodes (JSON 1.1), keyed by {@code ReservationId}. */
final class MemoryDbReservedNodeExecutor extends KeyedExecutor {

    MemoryDbReservedNodeExecutor(AwsClients clients) {
        super(clients, CommitmentType.AWS_MEMORYDB);
    }

    private MemoryDbClient memoryDb(CommitmentRequest r) {
        return memoryDb(r, AwsClients.Attempts.BOUNDED);
    }

    private MemoryDbClient memoryDb(CommitmentRequest r, AwsClients.Attempts attempts) {
        return clients.client(AwsService.MEMORYDB, MemoryDbClient.class, r.account(), r.region(), attempts);
    }

    @Override
    Set<String> attributeNames() {
        return Set.of();
    }

    @Override
    String keyName() {
        return "ReservationId";
    }

    @Override
    String alreadyExistsCode() {
        return "ReservedNodeAlreadyExistsFault";
    }

    @Override
    Optional<OfferingRef> findOffering(CommitmentRequest r) {
        return memoryDb(r).describeReservedNodesOfferingsPaginator(DescribeReservedNodesOfferingsRequest.builder()
                        .nodeType(r.offering()).duration(String.valueOf(durationSeconds(r))).offeringType(offeringType(r))
                        .build())
                .reservedNodesOfferings().stream().findFirst()
                .map(o -> new OfferingRef(o.reservedNodesOfferingId(), o.nodeType(), "USD",
                        OfferingRef.amount(o.fixedPrice()), hourly(o.recurringCharges())));
    }

    private static BigDecimal hourly(List<RecurringCharge> charges) {
        return charges.stream().filter(c -> "Hourly".equalsIgnoreCase(c.recurringChargeFrequency()))
                .map(c -> OfferingRef.amount(c.recurringChargeAmount())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    Optional<AwsReservation> describeByKey(CommitmentRequest r, String key) {
        try {
            return memoryDb(r).describeReservedNodes(q -> q.reservationId(key)).reservedNodes().stream().findFirst()
                    .map(MemoryDbReservedNodeExecutor::reservation);
        } catch (SdkException e) {
            if (AwsFailures.hasCode(e, "ReservedNodeNotFoundFault")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    AwsReservation buy(CommitmentRequest r, OfferingRef offering, String key, Map<String, String> tags) {
        return reservation(memoryDb(r, AwsClients.Attempts.ONCE).purchaseReservedNodesOffering(q -> q
                        .reservedNodesOfferingId(offering.offeringId())
                        .reservationId(key)
                        .nodeCount(r.quantity())
                        .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                                .toList()))
                .reservedNode());
    }

    @Override
    List<AwsReservation> listReservations(CommitmentRequest r) {
        return memoryDb(r).describeReservedNodesPaginator(DescribeReservedNodesRequest.builder()
                        .nodeType(r.offering()).build())
                .reservedNodes().stream().map(MemoryDbReservedNodeExecutor::reservation).toList();
    }

    private static AwsReservation reservation(ReservedNode n) {
        return new AwsReservation(n.reservationId(), n.reservationId(), n.reservedNodesOfferingId(), n.nodeType(),
                n.nodeCount() == null ? 0 : n.nodeCount(), n.startTime(), n.state(), n.offeringType(),
                n.duration() == null ? 0 : n.duration(), Map.of());
    }
}
