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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.pledge.emulator.aws.RdsApi.matches;
import static dev.pledge.emulator.aws.RdsApi.matchesDuration;

/**
 * MemoryDB reserved nodes on JSON 1.1 ({@code X-Amz-Target: AmazonMemoryDB.<Operation>}). A second
 * purchase under the same {@code ReservationId} is {@code ReservedNodeAlreadyExistsFault}.
 */
public final class MemoryDbApi implements CloudApi {
    static final String TYPE = "aws-memorydb";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Map<String, CallKind> OPERATIONS = Map.of(
            "DescribeReservedNodesOfferings", CallKind.OFFERINGS,
            "PurchaseReservedNodesOffering", CallKind.PURCHASE,
            "DescribeReservedNodes", CallKind.LOOKUP);

    @Override
    public List<Offering> seedOfferings() {
        return AwsCatalog.seed(TYPE, "", Map.of("db.r6g.large", "0.311", "db.r6g.xlarge", "0.622"), Map.of());
    }

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        String target = request.header("X-Amz-Target");
        if (!"POST".equals(request.method()) || target == null || !target.startsWith("AmazonMemoryDB.")) {
            return Optional.empty();
        }
        String op = target.substring(target.indexOf('.') + 1);
        CallKind kind = OPERATIONS.get(op);
        return kind == null ? Optional.empty() : Optional.of(new CloudCall(Cloud.AWS, TYPE, op, kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        Map<String, Object> body = request.json();
        AwsSignature who = AwsSignature.of(request);
        return switch (call.operation()) {
            case "DescribeReservedNodesOfferings" -> describeOfferings(body, who, state);
            case "PurchaseReservedNodesOffering" -> purchase(body, who, state);
            default -> describeReserved(body, who, state);
        };
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        String c = code != null ? code : status >= 500 ? "InternalServerError" : "InvalidParameterValueException";
        return CloudResponse.json(status, CONTENT_TYPE, Map.of("__type", c, "message", message));
    }

    @Override
    public CloudResponse refused(CloudCall call, CloudRequest request) {
        return error(call, request, 403, "AccessDeniedException", "User is not authorized to perform: "
                + call.operation());
    }

    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return error(call, request, 400, "ThrottlingException", "Rate exceeded");
    }

    private CloudResponse describeOfferings(Map<String, Object> body, AwsSignature who, CloudState state) {
        List<Offering> all = state.offerings(Cloud.AWS, TYPE, who.region()).stream()
                .filter(o -> matches(AwsJson.text(body, "ReservedNodesOfferingId"), o.offeringId())
                        && matches(AwsJson.text(body, "NodeType"), o.product())
                        && matchesDuration(AwsJson.text(body, "Duration"), o)
                        && matches(AwsJson.text(body, "OfferingType"), AwsCatalog.offeringType(o.payment())))
                .toList();
        Integer max = AwsJson.integer(body, "MaxResults");
        Paging<Offering> page = Paging.of(all, AwsJson.text(body, "NextToken"), max == null ? 100 : max);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ReservedNodesOfferings", page.items().stream().map(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ReservedNodesOfferingId", o.offeringId());
            m.put("NodeType", o.product());
            m.put("Duration", o.durationSeconds());
            m.put("FixedPrice", o.upfront());
            m.put("OfferingType", AwsCatalog.offeringType(o.payment()));
            m.put("RecurringCharges", AwsJson.recurring(o));
            return m;
        }).toList());
        if (page.next() != null) {
            out.put("NextToken", page.next());
        }
        return CloudResponse.json(200, CONTENT_TYPE, out);
    }

    private CloudResponse purchase(Map<String, Object> body, AwsSignature who, CloudState state) {
        String offeringId = AwsJson.text(body, "ReservedNodesOfferingId");
        Optional<Offering> offering = offeringId == null ? Optional.empty()
                : state.offering(Cloud.AWS, TYPE, offeringId).filter(o -> o.region().equals(who.region()));
        if (offering.isEmpty()) {
            return error(null, null, 400, "ReservedNodesOfferingNotFoundFault", "The offering " + offeringId
                    + " was not found.");
        }
        Integer count = AwsJson.integer(body, "NodeCount");
        if (count != null && count < 1) {
            return error(null, null, 400, "InvalidParameterValueException", "NodeCount must be at least 1.");
        }
        String id = Optional.ofNullable(AwsJson.text(body, "ReservationId")).orElse("rn-" + UUID.randomUUID());
        Commitment c = new Commitment(Cloud.AWS, TYPE, who.account(), who.region(), id, id, offering.get(),
                count == null ? 1 : count, AwsJson.tagList(body, "Tags"), state.now(), "active", Map.of());
        c = Provisioning.awsPayment(c, state.now());
        if (state.addUnlessKeyTaken(c).isPresent()) {
            return error(null, null, 400, "ReservedNodeAlreadyExistsFault", "You already have a reservation with"
                    + " the given identifier " + id + ".");
        }
        return CloudResponse.json(200, CONTENT_TYPE, Map.of("ReservedNode", reserved(c)));
    }

    private CloudResponse describeReserved(Map<String, Object> body, AwsSignature who, CloudState state) {
        String id = AwsJson.text(body, "ReservationId");
        List<Commitment> all = state.commitments(Cloud.AWS, TYPE, who.account(), who.region()).stream()
                .filter(c -> matches(id, c.id()) && matches(AwsJson.text(body, "NodeType"), c.offering().product())
                        && matches(AwsJson.text(body, "ReservedNodesOfferingId"), c.offering().offeringId()))
                .toList();
        if (id != null && all.isEmpty()) {
            return error(null, null, 400, "ReservedNodeNotFoundFault", "The reserved node " + id
                    + " was not found.");
        }
        Integer max = AwsJson.integer(body, "MaxResults");
        Paging<Commitment> page = Paging.of(all, AwsJson.text(body, "NextToken"), max == null ? 100 : max);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ReservedNodes", page.items().stream().map(MemoryDbApi::reserved).toList());
        if (page.next() != null) {
            out.put("NextToken", page.next());
        }
        return CloudResponse.json(200, CONTENT_TYPE, out);
    }

    private static Map<String, Object> reserved(Commitment c) {
        Offering o = c.offering();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ReservationId", c.id());
        m.put("ReservedNodesOfferingId", o.offeringId());
        m.put("NodeType", o.product());
        m.put("StartTime", AwsJson.epochSeconds(c.createdAt()));
        m.put("Duration", o.durationSeconds());
        m.put("FixedPrice", o.upfront());
        m.put("NodeCount", c.quantity());
        m.put("OfferingType", AwsCatalog.offeringType(o.payment()));
        m.put("State", c.state());
        m.put("RecurringCharges", AwsJson.recurring(o));
        m.put("ARN", "arn:aws:memorydb:" + c.region() + ":" + c.account() + ":reservednode/" + c.id());
        return m;
    }
}
