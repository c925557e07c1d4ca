package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.redshift.model.DescribeReservedNodeOfferingsRequest;
import software.amazon.awssdk.services.redshift.model.DescribeReservedNodesRequest;
import software.amazon.awssdk.services.redshift.model.DescribeTagsRequest;
import software.amazon.awssdk.services.redshift.model.RecurringCharge;
import software.amazon.awssdk.services.redshift.model.ReservedNode;
import software.amazon.awssdk.services.redshift.model.Tag;
import software.amazon.awssdk.services.redshift.model.TaggedResource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Redshift reserved nodes. {@code PurchaseReservedNodeOffering} takes no caller key, so this is a
 * {@link LookupGuardExecutor}. Reserved nodes do not report tags in their describe; tags are read
 * with {@code DescribeTags} on the node's ARN. Whether AWS accepts tags on reserved nodes is
 * unverified: if tagging fails, the purchase still counts and a re-drive adopts by attributes.
 */
final class RedshiftReservedNodeExecutor extends LookupGuardExecutor {

    RedshiftReservedNodeExecutor(AwsClients clients) {
        super(clients, CommitmentType.AWS_REDSHIFT);
    }

    private RedshiftClient redshift(CommitmentRequest r, AwsClients.Attempts attempts) {
        return clients.client(AwsService.REDSHIFT, RedshiftClient.class, r.account(), r.region(), attempts);
    }

    private RedshiftClient redshift(CommitmentRequest r) {
        return redshift(r, AwsClients.Attempts.BOUNDED);
    }

    static String arn(CommitmentRequest r, String id) {
        return "arn:aws:redshift:" + r.region() + ":" + r.account() + ":reservednode:" + id;
    }

    private static String idOf(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    @Override
    Set<String> attributeNames() {
        return Set.of();
    }

    @Override
    Optional<OfferingRef> findOffering(CommitmentRequest r) {
        return redshift(r).describeReservedNodeOfferingsPaginator(DescribeReservedNodeOfferingsRequest.builder().build())
                .reservedNodeOfferings().stream()
                .filter(o -> r.offering().equalsIgnoreCase(o.nodeType()) && o.duration() != null
                        && o.duration() == durationSeconds(r) && offeringType(r).equalsIgnoreCase(o.offeringType()))
                .findFirst()
                .map(o -> new OfferingRef(o.reservedNodeOfferingId(), o.nodeType(),
                        o.currencyCode() == null ? "USD" : o.currencyCode(), OfferingRef.amount(o.fixedPrice()),
                        hourly(o.recurringCharges())));
    }

    private static BigDecimal hourly(List<RecurringCharge> charges) {
        return charges.stream().filter(c -> "Hourly".equalsIgnoreCase(c.recurringChargeFrequency()))
                .map(c -> OfferingRef.amount(c.recurringChargeAmount())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Item-token tags of reserved nodes, by node id; only nodes that carry one. */
    private Map<String, String> itemTags(CommitmentRequest r, String onlyValue) {
        DescribeTagsRequest.Builder q = DescribeTagsRequest.builder().tagKeys(TAG_ITEM);
        if (onlyValue != null) {
            q.tagValues(onlyValue);
        }
        return redshift(r).describeTagsPaginator(q.build()).taggedResources().stream()
                .filter(t -> t.resourceName() != null && t.resourceName().contains(":reservednode:"))
                .collect(Collectors.toMap(t -> idOf(t.resourceName()), (TaggedResource t) -> t.tag().value(),
                        (a, b) -> a));
    }

    @Override
    Optional<AwsReservation> findTagged(CommitmentRequest r, String itemKey) {
        for (String id : itemTags(r, itemKey).keySet()) {
            try {
                Optional<AwsReservation> node = redshift(r).describeReservedNodes(q -> q.reservedNodeId(id))
                        .reservedNodes().stream().findFirst().map(n -> reservation(n, Map.of(TAG_ITEM, itemKey)))
                        .filter(AwsReservation::held);
                if (node.isPresent()) {
                    return node;
                }
            } catch (SdkException e) {
                if (!AwsFailures.hasCode(e, "ReservedNodeNotFound")) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Matched by the node's own attributes (node type, count, duration, payment), never by the offering id
     * of a fresh lookup: the catalog may sell several offerings with these attributes, in any order.
     */
    @Override
    List<AwsReservation> findAdoptable(CommitmentRequest r) {
        Map<String, String> owned = itemTags(r, null);
        return listReservations(r).stream()
                .filter(x -> x.held() && sameCommitment(r, x) && !owned.containsKey(x.id()))
                .toList();
    }

    @Override
    AwsReservation buyOnce(CommitmentRequest r, OfferingRef offering) {
        return reservation(redshift(r, AwsClients.Attempts.ONCE).purchaseReservedNodeOffering(q -> q
                .reservedNodeOfferingId(offering.offeringId())
                .nodeCount(r.quantity())).reservedNode(), Map.of());
    }

    @Override
    Optional<AwsReservation> describeById(CommitmentRequest r, String id) {
        try {
            return redshift(r).describeReservedNodes(q -> q.reservedNodeId(id)).reservedNodes().stream()
                    .filter(n -> id.equals(n.reservedNodeId())).findFirst().map(n -> reservation(n, Map.of()));
        } catch (SdkException e) {
            if (AwsFailures.hasCode(e, "ReservedNodeNotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    void tag(CommitmentRequest r, String id, Map<String, String> tags) {
        redshift(r).createTags(q -> q.resourceName(arn(r, id)).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()));
    }

    @Override
    List<AwsReservation> listReservations(CommitmentRequest r) {
        return redshift(r).describeReservedNodesPaginator(DescribeReservedNodesRequest.builder().build())
                .reservedNodes().stream().map(n -> reservation(n, Map.of())).toList();
    }

    private static AwsReservation reservation(ReservedNode n, Map<String, String> tags) {
        return new AwsReservation(n.reservedNodeId(), tags.get(TAG_ITEM), n.reservedNodeOfferingId(), n.nodeType(),
                n.nodeCount() == null ? 0 : n.nodeCount(), n.startTime(), n.state(), n.offeringType(),
                n.duration() == null ? 0 : n.duration(), tags);
    }
}
