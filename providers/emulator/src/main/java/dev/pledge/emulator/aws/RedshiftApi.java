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
import static dev.pledge.emulator.aws.RdsApi.recurring;

/**
 * Redshift reserved nodes (query protocol). The purchase takes no caller key: every request buys
 * again. Reserved nodes accept {@code CreateTags} and show in {@code DescribeTags} here; whether
 * the real service allows that is unverified.
 */
public final class RedshiftApi extends AwsQueryApi {
    static final String TYPE = "aws-redshift";

    public RedshiftApi() {
        super("redshift", "http://redshift.amazonaws.com/doc/2012-12-01/", TYPE);
    }

    @Override
    public List<Offering> seedOfferings() {
        return AwsCatalog.seed(TYPE, "Regular", Map.of("ra3.xlplus", "1.086", "ra3.4xlarge", "3.26",
                "dc2.large", "0.25"), Map.of());
    }

    @Override
    Map<String, CallKind> operations() {
        return Map.of("DescribeReservedNodeOfferings", CallKind.OFFERINGS,
                "PurchaseReservedNodeOffering", CallKind.PURCHASE,
                "DescribeReservedNodes", CallKind.LOOKUP,
                "DescribeTags", CallKind.LOOKUP,
                "CreateTags", CallKind.TAG);
    }

    @Override
    CloudResponse answer(String action, Map<String, String> form, AwsSignature who, CloudState state) {
        return switch (action) {
            case "DescribeReservedNodeOfferings" -> describeOfferings(form, who, state);
            case "PurchaseReservedNodeOffering" -> purchase(form, who, state);
            case "DescribeTags" -> describeTags(form, who, state);
            case "CreateTags" -> createTags(form, who, state);
            default -> describeReserved(form, who, state);
        };
    }

    static String arn(Commitment c) {
        return "arn:aws:redshift:" + c.region() + ":" + c.account() + ":reservednode:" + c.id();
    }

    private CloudResponse describeOfferings(Map<String, String> form, AwsSignature who, CloudState state) {
        List<Offering> all = state.offerings(Cloud.AWS, TYPE, who.region()).stream()
                .filter(o -> matches(form.get("ReservedNodeOfferingId"), o.offeringId())).toList();
        Paging<Offering> page = Paging.of(all, form.get("Marker"), intParam(form, "MaxRecords", 100));
        Xml xml = new Xml().el("Marker", page.next()).open("ReservedNodeOfferings");
        for (Offering o : page.items()) {
            xml.open("ReservedNodeOffering").el("ReservedNodeOfferingId", o.offeringId()).el("NodeType", o.product())
                    .el("Duration", o.durationSeconds()).el("FixedPrice", o.upfront()).el("UsagePrice", 0)
                    .el("CurrencyCode", o.currency()).el("OfferingType", AwsCatalog.offeringType(o.payment()))
                    .raw(recurring(o)).el("ReservedNodeOfferingType", o.description())
                    .close("ReservedNodeOffering");
        }
        return ok("DescribeReservedNodeOfferings", xml.close("ReservedNodeOfferings").toString());
    }

    private CloudResponse purchase(Map<String, String> form, AwsSignature who, CloudState state) {
        String offeringId = form.get("ReservedNodeOfferingId");
        Optional<Offering> offering = offeringId == null ? Optional.empty()
                : state.offering(Cloud.AWS, TYPE, offeringId).filter(o -> o.region().equals(who.region()));
        if (offering.isEmpty()) {
            return fault(404, "ReservedNodeOfferingNotFound", "Specified offering " + offeringId
                    + " does not exist.");
        }
        int count = intParam(form, "NodeCount", 1);
        if (count < 1) {
            return fault(400, "InvalidParameterValue", "NodeCount must be a positive integer.");
        }
        Commitment c = state.add(Provisioning.awsPayment(new Commitment(Cloud.AWS, TYPE, who.account(), who.region(),
                UUID.randomUUID().toString(), null, offering.get(), count, Map.of(), state.now(), "active", Map.of()),
                state.now()));
        return ok("PurchaseReservedNodeOffering", reserved(c));
    }

    private CloudResponse describeReserved(Map<String, String> form, AwsSignature who, CloudState state) {
        String id = form.get("ReservedNodeId");
        List<Commitment> all = state.commitments(Cloud.AWS, TYPE, who.account(), who.region()).stream()
                .filter(c -> matches(id, c.id())).toList();
        if (id != null && all.isEmpty()) {
            return fault(404, "ReservedNodeNotFound", "The specified reserved compute node " + id
                    + " not found.");
        }
        Paging<Commitment> page = Paging.of(all, form.get("Marker"), intParam(form, "MaxRecords", 100));
        Xml xml = new Xml().el("Marker", page.next()).open("ReservedNodes");
        page.items().forEach(c -> xml.raw(reserved(c)));
        return ok("DescribeReservedNodes", xml.close("ReservedNodes").toString());
    }

    private CloudResponse describeTags(Map<String, String> form, AwsSignature who, CloudState state) {
        List<String> keys = strings(form, "TagKeys.TagKey");
        List<String> values = strings(form, "TagValues.TagValue");
        String resource = form.get("ResourceName");
        Xml xml = new Xml().open("TaggedResources");
        for (Commitment c : state.commitments(Cloud.AWS, TYPE, who.account(), who.region())) {
            if (resource != null && !resource.equals(arn(c))) {
                continue;
            }
            c.tags().forEach((k, v) -> {
                if ((keys.isEmpty() || keys.contains(k)) && (values.isEmpty() || values.contains(v))) {
                    xml.open("TaggedResource").open("Tag").el("Key", k).el("Value", v).close("Tag")
                            .el("ResourceName", arn(c)).el("ResourceType", "reserved-node").close("TaggedResource");
                }
            });
        }
        return ok("DescribeTags", xml.close("TaggedResources").toString());
    }

    private CloudResponse createTags(Map<String, String> form, AwsSignature who, CloudState state) {
        String resource = form.getOrDefault("ResourceName", "");
        String id = resource.substring(resource.lastIndexOf(':') + 1);
        Optional<Commitment> c = state.byId(Cloud.AWS, TYPE, id).filter(x -> x.account().equals(who.account()));
        if (c.isEmpty()) {
            return fault(400, "ResourceNotFound", "The resource " + resource + " was not found.");
        }
        state.tag(Cloud.AWS, TYPE, id, tags(form, "Tags.Tag"));
        return CloudResponse.xml(200, "<CreateTagsResponse xmlns=\"http://redshift.amazonaws.com/doc/2012-12-01/\">"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</CreateTagsResponse>");
    }

    private static String reserved(Commitment c) {
        Offering o = c.offering();
        return new Xml().open("ReservedNode").el("ReservedNodeId", c.id())
                .el("ReservedNodeOfferingId", o.offeringId()).el("NodeType", o.product())
                .el("StartTime", c.createdAt()).el("Duration", o.durationSeconds()).el("FixedPrice", o.upfront())
                .el("UsagePrice", 0).el("CurrencyCode", o.currency()).el("NodeCount", c.quantity())
                .el("State", c.state()).el("OfferingType", AwsCatalog.offeringType(o.payment()))
                .raw(recurring(o)).el("ReservedNodeOfferingType", o.description()).close("ReservedNode").toString();
    }
}
