package dev.pledge.emulator.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudApi;
import dev.pledge.emulator.CloudCall;
import dev.pledge.emulator.CloudRequest;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;
import dev.pledge.emulator.Provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.pledge.emulator.aws.AwsQueryApi.intParam;
import static dev.pledge.emulator.aws.AwsQueryApi.strings;
import static dev.pledge.emulator.aws.AwsQueryApi.tags;
import static dev.pledge.emulator.aws.RdsApi.matches;

/**
 * EC2 Reserved Instances on EC2's own query dialect (flattened lists, lower-camel XML, its own
 * error shape). The purchase takes no caller key and no tags: every request buys again.
 */
public final class Ec2Api implements CloudApi {
    static final String TYPE = "aws-ec2";
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final Map<String, CallKind> OPERATIONS = Map.of(
            "DescribeReservedInstancesOfferings", CallKind.OFFERINGS,
            "PurchaseReservedInstancesOffering", CallKind.PURCHASE,
            "DescribeReservedInstances", CallKind.LOOKUP,
            "CreateTags", CallKind.TAG);

    @Override
    public List<Offering> seedOfferings() {
        return AwsCatalog.seed(TYPE, "Linux/UNIX", Map.of("m5.large", "0.096", "m5.xlarge", "0.192",
                "c5.large", "0.085", "t3.medium", "0.0416"), Map.of("offeringClass", "standard"));
    }

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        if (!"POST".equals(request.method()) || !"/".equals(request.path())
                || !"ec2".equals(AwsSignature.of(request).service())) {
            return Optional.empty();
        }
        String action = request.form().get("Action");
        CallKind kind = action == null ? null : OPERATIONS.get(action);
        return kind == null ? Optional.empty() : Optional.of(new CloudCall(Cloud.AWS, TYPE, action, kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        Map<String, String> form = request.form();
        AwsSignature who = AwsSignature.of(request);
        return switch (call.operation()) {
            case "DescribeReservedInstancesOfferings" -> describeOfferings(form, who, state);
            case "PurchaseReservedInstancesOffering" -> purchase(form, who, state);
            case "CreateTags" -> createTags(form, who, state);
            default -> describeReserved(form, who, state);
        };
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        String c = code != null ? code : switch (status) {
            case 503 -> "Unavailable";
            case 403 -> "UnauthorizedOperation";
            default -> status >= 500 ? "InternalError" : "InvalidParameterValue";
        };
        return CloudResponse.xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error>"
                + new Xml().el("Code", c).el("Message", message) + "</Error></Errors><RequestID>" + UUID.randomUUID()
                + "</RequestID></Response>");
    }

    @Override
    public CloudResponse refused(CloudCall call, CloudRequest request) {
        return error(call, request, 403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
    }

    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return error(call, request, 503, "RequestLimitExceeded", "Request limit exceeded.");
    }

    private static CloudResponse ok(String action, String inner) {
        return CloudResponse.xml(200, "<" + action + "Response xmlns=\"" + NS + "\"><requestId>" + UUID.randomUUID()
                + "</requestId>" + inner + "</" + action + "Response>");
    }

    private CloudResponse describeOfferings(Map<String, String> form, AwsSignature who, CloudState state) {
        List<String> ids = strings(form, "ReservedInstancesOfferingId");
        long min = longParam(form, "MinDuration", 0);
        long max = longParam(form, "MaxDuration", Long.MAX_VALUE);
        List<Offering> all = state.offerings(Cloud.AWS, TYPE, who.region()).stream()
                .filter(o -> (ids.isEmpty() || ids.contains(o.offeringId()))
                        && matches(form.get("InstanceType"), o.product())
                        && matches(form.get("ProductDescription"), o.description())
                        && matches(form.get("OfferingType"), AwsCatalog.offeringType(o.payment()))
                        && matches(form.get("OfferingClass"), o.attributes().getOrDefault("offeringClass", "standard"))
                        && o.durationSeconds() >= min && o.durationSeconds() <= max)
                .toList();
        Paging<Offering> page = Paging.of(all, form.get("NextToken"), intParam(form, "MaxResults", 100));
        Xml xml = new Xml().open("reservedInstancesOfferingsSet");
        for (Offering o : page.items()) {
            xml.open("item").el("reservedInstancesOfferingId", o.offeringId()).el("instanceType", o.product())
                    .el("duration", o.durationSeconds()).el("fixedPrice", o.upfront()).el("usagePrice", 0)
                    .el("productDescription", o.description()).el("instanceTenancy", "default")
                    .el("currencyCode", o.currency()).el("offeringType", AwsCatalog.offeringType(o.payment()))
                    .raw(recurring(o)).el("marketplace", false).open("pricingDetailsSet").close("pricingDetailsSet")
                    .el("offeringClass", o.attributes().getOrDefault("offeringClass", "standard"))
                    .el("scope", "Region").close("item");
        }
        xml.close("reservedInstancesOfferingsSet").el("nextToken", page.next());
        return ok("DescribeReservedInstancesOfferings", xml.toString());
    }

    private CloudResponse purchase(Map<String, String> form, AwsSignature who, CloudState state) {
        String offeringId = form.get("ReservedInstancesOfferingId");
        Optional<Offering> offering = offeringId == null ? Optional.empty()
                : state.offering(Cloud.AWS, TYPE, offeringId).filter(o -> o.region().equals(who.region()));
        if (offering.isEmpty()) {
            return error(null, null, 400, "InvalidReservedInstancesOfferingId.NotFound", "The offering ID '"
                    + offeringId + "' does not exist");
        }
        int count = intParam(form, "InstanceCount", 0);
        if (count < 1) {
            return error(null, null, 400, "InvalidParameterValue", "Invalid value for InstanceCount: must be at"
                    + " least 1");
        }
        Commitment c = state.add(Provisioning.awsPayment(new Commitment(Cloud.AWS, TYPE, who.account(), who.region(),
                UUID.randomUUID().toString(), null, offering.get(), count, Map.of(), state.now(), "active", Map.of()),
                state.now()));
        return ok("PurchaseReservedInstancesOffering", new Xml().el("reservedInstancesId", c.id()).toString());
    }

    private CloudResponse describeReserved(Map<String, String> form, AwsSignature who, CloudState state) {
        List<String> ids = strings(form, "ReservedInstancesId");
        Map<String, List<String>> filters = filters(form);
        List<Commitment> out = new ArrayList<>();
        for (Commitment c : state.commitments(Cloud.AWS, TYPE, who.account(), who.region())) {
            if (!ids.isEmpty() && !ids.contains(c.id())) {
                continue;
            }
            boolean keep = true;
            for (Map.Entry<String, List<String>> f : filters.entrySet()) {
                Optional<Boolean> m = filterMatches(f.getKey(), f.getValue(), c);
                if (m.isEmpty()) {
                    return error(null, null, 400, "InvalidParameterValue", "The filter '" + f.getKey()
                            + "' is invalid");
                }
                keep &= m.get();
            }
            if (keep) {
                out.add(c);
            }
        }
        if (!ids.isEmpty() && out.isEmpty()) {
            return error(null, null, 400, "InvalidReservedInstancesId.NotFound", "The reserved instances ID '"
                    + ids.get(0) + "' does not exist");
        }
        Xml xml = new Xml().open("reservedInstancesSet");
        out.forEach(c -> xml.raw(reserved(c)));
        return ok("DescribeReservedInstances", xml.close("reservedInstancesSet").toString());
    }

    private CloudResponse createTags(Map<String, String> form, AwsSignature who, CloudState state) {
        List<String> resources = strings(form, "ResourceId");
        Map<String, String> tags = tags(form, "Tag");
        for (String id : resources) {
            if (state.byId(Cloud.AWS, TYPE, id).filter(c -> c.account().equals(who.account())).isEmpty()) {
                return error(null, null, 400, "InvalidID", "The ID '" + id + "' is not valid");
            }
        }
        resources.forEach(id -> state.tag(Cloud.AWS, TYPE, id, tags));
        return ok("CreateTags", "<return>true</return>");
    }

    private static Map<String, List<String>> filters(Map<String, String> form) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("Filter." + i + ".Name"); i++) {
            filters.put(form.get("Filter." + i + ".Name"), strings(form, "Filter." + i + ".Value"));
        }
        return filters;
    }

    /** Empty when the filter name is unknown. */
    private static Optional<Boolean> filterMatches(String name, List<String> values, Commitment c) {
        if (name.startsWith("tag:")) {
            String v = c.tags().get(name.substring(4));
            return Optional.of(v != null && values.contains(v));
        }
        String actual = switch (name) {
            case "tag-key" -> null;
            case "instance-type" -> c.offering().product();
            case "duration" -> String.valueOf(c.offering().durationSeconds());
            case "state" -> c.state();
            case "product-description" -> c.offering().description();
            case "reserved-instances-id" -> c.id();
            default -> "\u0000";
        };
        if ("tag-key".equals(name)) {
            return Optional.of(values.stream().anyMatch(c.tags()::containsKey));
        }
        if ("\u0000".equals(actual)) {
            return Optional.empty();
        }
        return Optional.of(values.contains(actual));
    }

    private static String reserved(Commitment c) {
        Offering o = c.offering();
        Xml xml = new Xml().open("item").el("reservedInstancesId", c.id()).el("instanceType", o.product())
                .el("start", c.createdAt()).el("end", c.createdAt().plusSeconds(o.durationSeconds()))
                .el("duration", o.durationSeconds()).el("usagePrice", 0).el("fixedPrice", o.upfront())
                .el("instanceCount", c.quantity()).el("productDescription", o.description()).el("state", c.state())
                .el("instanceTenancy", "default").el("currencyCode", o.currency())
                .el("offeringType", AwsCatalog.offeringType(o.payment())).raw(recurring(o))
                .el("offeringClass", o.attributes().getOrDefault("offeringClass", "standard")).el("scope", "Region");
        if (!c.tags().isEmpty()) {
            xml.open("tagSet");
            c.tags().forEach((k, v) -> xml.open("item").el("key", k).el("value", v).close("item"));
            xml.close("tagSet");
        }
        return xml.close("item").toString();
    }

    private static String recurring(Offering o) {
        Xml xml = new Xml().open("recurringCharges");
        if (o.hourly().signum() > 0) {
            xml.open("item").el("frequency", "Hourly").el("amount", o.hourly()).close("item");
        }
        return xml.close("recurringCharges").toString();
    }

    private static long longParam(Map<String, String> form, String name, long otherwise) {
        try {
            return form.containsKey(name) ? Long.parseLong(form.get(name)) : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
