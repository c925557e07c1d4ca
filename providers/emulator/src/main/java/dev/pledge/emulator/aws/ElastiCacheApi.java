package dev.pledge.emulator.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;
import dev.pledge.emulator.Provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.pledge.emulator.aws.RdsApi.matches;
import static dev.pledge.emulator.aws.RdsApi.matchesDuration;
import static dev.pledge.emulator.aws.RdsApi.recurring;

/**
 * ElastiCache reserved cache nodes (query protocol). A second purchase under the same
 * {@code ReservedCacheNodeId} is {@code ReservedCacheNodeAlreadyExists} (HTTP 404 in the model).
 */
public final class ElastiCacheApi extends AwsQueryApi {
    static final String TYPE = "aws-elasticache";

    public ElastiCacheApi() {
        super("elasticache", "http://elasticache.amazonaws.com/doc/2015-02-02/", TYPE);
    }

    @Override
    public List<Offering> seedOfferings() {
        return AwsCatalog.seed(TYPE, "redis", Map.of("cache.r6g.large", "0.206", "cache.m5.large", "0.156"),
                Map.of());
    }

    @Override
    Map<String, CallKind> operations() {
        return Map.of("DescribeReservedCacheNodesOfferings", CallKind.OFFERINGS,
                "PurchaseReservedCacheNodesOffering", CallKind.PURCHASE,
                "DescribeReservedCacheNodes", CallKind.LOOKUP);
    }

    @Override
    CloudResponse answer(String action, Map<String, String> form, AwsSignature who, CloudState state) {
        return switch (action) {
            case "DescribeReservedCacheNodesOfferings" -> describeOfferings(form, who, state);
            case "PurchaseReservedCacheNodesOffering" -> purchase(form, who, state);
            default -> describeReserved(form, who, state);
        };
    }

    private CloudResponse describeOfferings(Map<String, String> form, AwsSignature who, CloudState state) {
        List<Offering> all = state.offerings(Cloud.AWS, TYPE, who.region()).stream()
                .filter(o -> matches(form.get("ReservedCacheNodesOfferingId"), o.offeringId())
                        && matches(form.get("CacheNodeType"), o.product())
                        && matchesDuration(form.get("Duration"), o)
                        && matches(form.get("ProductDescription"), o.description())
                        && matches(form.get("OfferingType"), AwsCatalog.offeringType(o.payment())))
                .toList();
        Paging<Offering> page = Paging.of(all, form.get("Marker"), intParam(form, "MaxRecords", 100));
        Xml xml = new Xml().el("Marker", page.next()).open("ReservedCacheNodesOfferings");
        for (Offering o : page.items()) {
            xml.open("ReservedCacheNodesOffering").el("ReservedCacheNodesOfferingId", o.offeringId())
                    .el("CacheNodeType", o.product()).el("Duration", o.durationSeconds())
                    .el("FixedPrice", o.upfront()).el("UsagePrice", 0).el("ProductDescription", o.description())
                    .el("OfferingType", AwsCatalog.offeringType(o.payment())).raw(recurring(o))
                    .close("ReservedCacheNodesOffering");
        }
        return ok("DescribeReservedCacheNodesOfferings", xml.close("ReservedCacheNodesOfferings").toString());
    }

    private CloudResponse purchase(Map<String, String> form, AwsSignature who, CloudState state) {
        String offeringId = form.get("ReservedCacheNodesOfferingId");
        Optional<Offering> offering = offeringId == null ? Optional.empty()
                : state.offering(Cloud.AWS, TYPE, offeringId).filter(o -> o.region().equals(who.region()));
        if (offering.isEmpty()) {
            return fault(404, "ReservedCacheNodesOfferingNotFound", "The requested cache node offering "
                    + offeringId + " does not exist.");
        }
        int count = intParam(form, "CacheNodeCount", 1);
        if (count < 1) {
            return fault(400, "InvalidParameterValue", "CacheNodeCount must be a positive integer.");
        }
        String id = form.getOrDefault("ReservedCacheNodeId", "rcn-" + UUID.randomUUID());
        Commitment c = new Commitment(Cloud.AWS, TYPE, who.account(), who.region(), id, id, offering.get(), count,
                tags(form, "Tags.Tag"), state.now(), "active", Map.of());
        c = Provisioning.awsPayment(c, state.now());
        if (state.addUnlessKeyTaken(c).isPresent()) {
            return fault(404, "ReservedCacheNodeAlreadyExists", "You already have a reservation with the given"
                    + " identifier " + id + ".");
        }
        return ok("PurchaseReservedCacheNodesOffering", reserved(c));
    }

    private CloudResponse describeReserved(Map<String, String> form, AwsSignature who, CloudState state) {
        String id = form.get("ReservedCacheNodeId");
        List<Commitment> all = state.commitments(Cloud.AWS, TYPE, who.account(), who.region()).stream()
                .filter(c -> matches(id, c.id()) && matches(form.get("CacheNodeType"), c.offering().product())
                        && matches(form.get("ReservedCacheNodesOfferingId"), c.offering().offeringId()))
                .toList();
        if (id != null && all.isEmpty()) {
            return fault(404, "ReservedCacheNodeNotFound", "The requested reserved cache node " + id
                    + " was not found.");
        }
        Paging<Commitment> page = Paging.of(all, form.get("Marker"), intParam(form, "MaxRecords", 100));
        Xml xml = new Xml().el("Marker", page.next()).open("ReservedCacheNodes");
        page.items().forEach(c -> xml.raw(reserved(c)));
        return ok("DescribeReservedCacheNodes", xml.close("ReservedCacheNodes").toString());
    }

    private static String reserved(Commitment c) {
        Offering o = c.offering();
        return new Xml().open("ReservedCacheNode").el("ReservedCacheNodeId", c.id())
                .el("ReservedCacheNodesOfferingId", o.offeringId()).el("CacheNodeType", o.product())
                .el("StartTime", c.createdAt()).el("Duration", o.durationSeconds()).el("FixedPrice", o.upfront())
                .el("UsagePrice", 0).el("CacheNodeCount", c.quantity()).el("ProductDescription", o.description())
                .el("OfferingType", AwsCatalog.offeringType(o.payment())).el("State", c.state())
                .raw(recurring(o))
                .el("ReservationARN", "arn:aws:elasticache:" + c.region() + ":" + c.account()
                        + ":reserved-instance:" + c.id())
                .close("ReservedCacheNode").toString();
    }
}
