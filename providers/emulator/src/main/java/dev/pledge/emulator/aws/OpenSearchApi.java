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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.pledge.emulator.aws.RdsApi.matches;

/**
 * OpenSearch reserved instances on REST-JSON under {@code /2021-01-01/opensearch/}. The
 * {@code ReservationName} (5-64 characters) is unique per account: a duplicate is HTTP 409
 * {@code ResourceAlreadyExistsException}. The describe filters only by AWS's own id.
 */
public final class OpenSearchApi implements CloudApi {
    static final String TYPE = "aws-opensearch";
    private static final String BASE = "/2021-01-01/opensearch/";

    @Override
    public List<Offering> seedOfferings() {
        return AwsCatalog.seed(TYPE, "", Map.of("r6g.large.search", "0.167", "m6g.large.search", "0.128"),
                Map.of());
    }

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        String p = request.path();
        String op = null;
        CallKind kind = null;
        if ("GET".equals(request.method()) && p.equals(BASE + "reservedInstanceOfferings")) {
            op = "DescribeReservedInstanceOfferings";
            kind = CallKind.OFFERINGS;
        } else if ("GET".equals(request.method()) && p.equals(BASE + "reservedInstances")) {
            op = "DescribeReservedInstances";
            kind = CallKind.LOOKUP;
        } else if ("POST".equals(request.method()) && p.equals(BASE + "purchaseReservedInstanceOffering")) {
            op = "PurchaseReservedInstanceOffering";
            kind = CallKind.PURCHASE;
        }
        return op == null ? Optional.empty() : Optional.of(new CloudCall(Cloud.AWS, TYPE, op, kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        AwsSignature who = AwsSignature.of(request);
        return switch (call.operation()) {
            case "DescribeReservedInstanceOfferings" -> describeOfferings(request, who, state);
            case "PurchaseReservedInstanceOffering" -> purchase(request.json(), who, state);
            default -> describeReserved(request, who, state);
        };
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        String c = code != null ? code : status >= 500 ? "InternalException" : "ValidationException";
        return CloudResponse.json(status, Map.of("message", message)).withHeader("x-amzn-ErrorType", c);
    }

    @Override
    public CloudResponse refused(CloudCall call, CloudRequest request) {
        return error(call, request, 403, "AccessDeniedException", "User is not authorized to perform: "
                + call.operation());
    }

    @Override
    public CloudResponse throttled(CloudCall call, CloudRequest request) {
        return error(call, request, 429, "ThrottlingException", "Rate exceeded");
    }

    static String paymentOption(String payment) {
        return payment.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private CloudResponse describeOfferings(CloudRequest r, AwsSignature who, CloudState state) {
        List<Offering> all = state.offerings(Cloud.AWS, TYPE, who.region()).stream()
                .filter(o -> matches(r.queryParam("offeringId"), o.offeringId())).toList();
        Paging<Offering> page = Paging.of(all, r.queryParam("nextToken"), parse(r.queryParam("maxResults")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ReservedInstanceOfferings", page.items().stream().map(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ReservedInstanceOfferingId", o.offeringId());
            m.put("InstanceType", o.product());
            m.put("Duration", o.durationSeconds());
            m.put("FixedPrice", o.upfront());
            m.put("UsagePrice", 0);
            m.put("CurrencyCode", o.currency());
            m.put("PaymentOption", paymentOption(o.payment()));
            m.put("RecurringCharges", AwsJson.recurring(o));
            return m;
        }).toList());
        if (page.next() != null) {
            out.put("NextToken", page.next());
        }
        return CloudResponse.json(200, out);
    }

    private CloudResponse purchase(Map<String, Object> body, AwsSignature who, CloudState state) {
        String name = AwsJson.text(body, "ReservationName");
        if (name == null || name.length() < 5 || name.length() > 64) {
            return error(null, null, 400, "ValidationException", "1 validation error detected: Value at"
                    + " 'reservationName' failed to satisfy constraint: Member must have length between 5 and 64");
        }
        String offeringId = AwsJson.text(body, "ReservedInstanceOfferingId");
        Optional<Offering> offering = offeringId == null ? Optional.empty()
                : state.offering(Cloud.AWS, TYPE, offeringId).filter(o -> o.region().equals(who.region()));
        if (offering.isEmpty()) {
            return error(null, null, 409, "ResourceNotFoundException", "Offering " + offeringId + " not found");
        }
        Integer count = AwsJson.integer(body, "InstanceCount");
        if (count != null && count < 1) {
            return error(null, null, 400, "ValidationException", "InstanceCount must be at least 1");
        }
        Commitment c = new Commitment(Cloud.AWS, TYPE, who.account(), who.region(), UUID.randomUUID().toString(),
                name, offering.get(), count == null ? 1 : count, Map.of(), state.now(), "active",
                Map.of("billingSubscriptionId", String.valueOf(Math.abs(name.hashCode()))));
        c = Provisioning.awsPayment(c, state.now());
        if (state.addUnlessKeyTaken(c).isPresent()) {
            return error(null, null, 409, "ResourceAlreadyExistsException", "A reservation named " + name
                    + " already exists");
        }
        return CloudResponse.json(200, Map.of("ReservedInstanceId", c.id(), "ReservationName", name));
    }

    private CloudResponse describeReserved(CloudRequest r, AwsSignature who, CloudState state) {
        String id = r.queryParam("reservationId");
        List<Commitment> all = state.commitments(Cloud.AWS, TYPE, who.account(), who.region()).stream()
                .filter(c -> matches(id, c.id())).toList();
        if (id != null && all.isEmpty()) {
            return error(null, null, 409, "ResourceNotFoundException", "Reserved instance " + id + " not found");
        }
        Paging<Commitment> page = Paging.of(all, r.queryParam("nextToken"), parse(r.queryParam("maxResults")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ReservedInstances", page.items().stream().map(c -> {
            Offering o = c.offering();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ReservationName", c.key());
            m.put("ReservedInstanceId", c.id());
            m.put("BillingSubscriptionId", Long.parseLong(c.attributes().getOrDefault("billingSubscriptionId", "0")));
            m.put("ReservedInstanceOfferingId", o.offeringId());
            m.put("InstanceType", o.product());
            m.put("StartTime", AwsJson.epochSeconds(c.createdAt()));
            m.put("Duration", o.durationSeconds());
            m.put("FixedPrice", o.upfront());
            m.put("UsagePrice", 0);
            m.put("CurrencyCode", o.currency());
            m.put("InstanceCount", c.quantity());
            m.put("State", c.state());
            m.put("PaymentOption", paymentOption(o.payment()));
            m.put("RecurringCharges", AwsJson.recurring(o));
            return m;
        }).toList());
        if (page.next() != null) {
            out.put("NextToken", page.next());
        }
        return CloudResponse.json(200, out);
    }

    private static int parse(String v) {
        try {
            return v == null ? 100 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
