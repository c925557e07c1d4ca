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

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Savings Plans on REST-JSON ({@code POST /CreateSavingsPlan}, ...). A repeated {@code clientToken}
 * in the same account returns the first plan and buys nothing. Offerings are priced per USD 1
 * of hourly commitment.
 */
public final class SavingsPlansApi implements CloudApi {
    static final String TYPE = "aws-savings-plan";
    /** The region of Compute plan offerings, which are not regional. */
    static final String GLOBAL = "global";
    private static final Map<String, CallKind> OPERATIONS = Map.of(
            "/DescribeSavingsPlansOfferings", CallKind.OFFERINGS,
            "/CreateSavingsPlan", CallKind.PURCHASE,
            "/DescribeSavingsPlans", CallKind.LOOKUP,
            "/TagResource", CallKind.TAG);

    @Override
    public List<Offering> seedOfferings() {
        List<Offering> out = new ArrayList<>();
        List<String> regions = new ArrayList<>(AwsCatalog.REGIONS);
        regions.add(0, GLOBAL);
        for (String region : regions) {
            // Compute plans apply in every region: one global offering; EC2Instance plans are per region and family
            for (String family : region.equals(GLOBAL) ? List.of("") : List.of("m5", "c5")) {
                String product = family.isEmpty() ? "Compute" : "EC2Instance";
                for (String term : AwsCatalog.TERMS) {
                    for (String payment : AwsCatalog.PAYMENTS) {
                        long hours = Integer.parseInt(term.substring(0, 1)) * 8760L;
                        BigDecimal upfront = switch (payment) {
                            case "all-upfront" -> BigDecimal.valueOf(hours);
                            case "partial-upfront" -> BigDecimal.valueOf(hours / 2);
                            default -> BigDecimal.ZERO;
                        };
                        BigDecimal hourly = switch (payment) {
                            case "all-upfront" -> BigDecimal.ZERO;
                            case "partial-upfront" -> new BigDecimal("0.5");
                            default -> BigDecimal.ONE;
                        };
                        Map<String, String> attributes = family.isEmpty() ? Map.of() : Map.of("instanceFamily", family);
                        out.add(new Offering(Cloud.AWS, TYPE, region,
                                Offering.stableId(TYPE, region, product + family, term, payment), product, term,
                                payment, product + " Savings Plan" + (family.isEmpty() ? "" : " " + family), "USD",
                                upfront, hourly, attributes));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        CallKind kind = "POST".equals(request.method()) ? OPERATIONS.get(request.path()) : null;
        return kind == null ? Optional.empty()
                : Optional.of(new CloudCall(Cloud.AWS, TYPE, request.path().substring(1), kind));
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        Map<String, Object> body = request.json();
        AwsSignature who = AwsSignature.of(request);
        return switch (call.operation()) {
            case "DescribeSavingsPlansOfferings" -> describeOfferings(body, who, state);
            case "CreateSavingsPlan" -> create(body, who, state);
            case "TagResource" -> tag(body, who, state);
            default -> describePlans(body, who, state);
        };
    }

    @Override
    public CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message) {
        String c = code != null ? code : status >= 500 ? "InternalServerException" : "ValidationException";
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

    static String arn(Commitment c) {
        return "arn:aws:savingsplans::" + c.account() + ":savingsplan/" + c.id();
    }

    private CloudResponse describeOfferings(Map<String, Object> body, AwsSignature who, CloudState state) {
        List<String> ids = AwsJson.strings(body, "offeringIds");
        List<String> planTypes = AwsJson.strings(body, "planTypes");
        List<String> payments = AwsJson.strings(body, "paymentOptions");
        List<String> durations = AwsJson.strings(body, "durations").stream().map(d -> d.replaceAll("\\.0$", ""))
                .toList();
        Map<String, List<String>> filters = filters(body);
        List<Offering> all = state.offerings(Cloud.AWS, TYPE, null).stream()
                .filter(o -> (ids.isEmpty() || ids.contains(o.offeringId()))
                        && (planTypes.isEmpty() || planTypes.contains(o.product()))
                        && (payments.isEmpty() || payments.contains(AwsCatalog.offeringType(o.payment())))
                        && (durations.isEmpty() || durations.contains(String.valueOf(o.durationSeconds())))
                        && (!filters.containsKey("region") || filters.get("region").contains(o.region()))
                        && (!filters.containsKey("instanceFamily")
                        || filters.get("instanceFamily").contains(o.attribute("instanceFamily"))))
                .toList();
        Integer max = AwsJson.integer(body, "maxResults");
        Paging<Offering> page = Paging.of(all, AwsJson.text(body, "nextToken"), max == null ? 100 : max);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("searchResults", page.items().stream().map(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("offeringId", o.offeringId());
            m.put("productTypes", List.of("EC2"));
            m.put("planType", o.product());
            m.put("description", o.description());
            m.put("paymentOption", AwsCatalog.offeringType(o.payment()));
            m.put("durationSeconds", o.durationSeconds());
            m.put("currency", o.currency());
            m.put("serviceCode", "ComputeSavingsPlans");
            m.put("usageType", "ComputeSP:" + o.term());
            m.put("operation", "");
            List<Map<String, String>> props = new ArrayList<>();
            props.add(Map.of("name", "region", "value", o.region()));
            if (o.attribute("instanceFamily") != null) {
                props.add(Map.of("name", "instanceFamily", "value", o.attribute("instanceFamily")));
            }
            m.put("properties", props);
            return m;
        }).toList());
        if (page.next() != null) {
            out.put("nextToken", page.next());
        }
        return CloudResponse.json(200, out);
    }

    private CloudResponse create(Map<String, Object> body, AwsSignature who, CloudState state) {
        String offeringId = AwsJson.text(body, "savingsPlanOfferingId");
        Optional<Offering> offering = offeringId == null ? Optional.empty()
                : state.offering(Cloud.AWS, TYPE, offeringId);
        if (offering.isEmpty()) {
            return error(null, null, 404, "ResourceNotFoundException", "Savings Plan offering " + offeringId
                    + " not found");
        }
        BigDecimal commitment;
        try {
            commitment = new BigDecimal(String.valueOf(body.get("commitment")));
        } catch (NumberFormatException e) {
            return error(null, null, 400, "ValidationException", "commitment must be a decimal number");
        }
        if (commitment.signum() <= 0) {
            return error(null, null, 400, "ValidationException", "commitment must be greater than 0");
        }
        String clientToken = AwsJson.text(body, "clientToken");
        String token = clientToken != null ? clientToken : UUID.randomUUID().toString();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("commitment", commitment.toPlainString());
        if (body.get("upfrontPaymentAmount") != null) {
            attributes.put("upfrontPaymentAmount", String.valueOf(body.get("upfrontPaymentAmount")));
        }
        Commitment c = new Commitment(Cloud.AWS, TYPE, who.account(), offering.get().region(),
                UUID.randomUUID().toString(), token, offering.get(), 1, AwsJson.tagMap(body, "tags"), state.now(),
                "active", attributes);
        c = Provisioning.awsPayment(c, state.now());
        Optional<Commitment> first = state.addUnlessKeyTaken(c);
        return CloudResponse.json(200, Map.of("savingsPlanId", first.orElse(c).id()));
    }

    private CloudResponse describePlans(Map<String, Object> body, AwsSignature who, CloudState state) {
        List<String> ids = AwsJson.strings(body, "savingsPlanIds");
        List<String> arns = AwsJson.strings(body, "savingsPlanArns");
        List<String> states = AwsJson.strings(body, "states");
        Map<String, List<String>> filters = filters(body);
        List<Commitment> all = state.commitments(c -> c.cloud() == Cloud.AWS && c.type().equals(TYPE)
                && c.account().equals(who.account())
                && (ids.isEmpty() || ids.contains(c.id()))
                && (arns.isEmpty() || arns.contains(arn(c)))
                && (states.isEmpty() || states.contains(c.state()))
                && (!filters.containsKey("region") || filters.get("region").contains(c.region()))
                && (!filters.containsKey("savings-plan-type")
                || filters.get("savings-plan-type").contains(c.offering().product())));
        Integer max = AwsJson.integer(body, "maxResults");
        Paging<Commitment> page = Paging.of(all, AwsJson.text(body, "nextToken"), max == null ? 100 : max);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("savingsPlans", page.items().stream().map(SavingsPlansApi::plan).toList());
        if (page.next() != null) {
            out.put("nextToken", page.next());
        }
        return CloudResponse.json(200, out);
    }

    private CloudResponse tag(Map<String, Object> body, AwsSignature who, CloudState state) {
        String arn = String.valueOf(body.get("resourceArn"));
        String id = arn.substring(arn.lastIndexOf('/') + 1);
        if (state.byId(Cloud.AWS, TYPE, id).filter(c -> c.account().equals(who.account())).isEmpty()) {
            return error(null, null, 404, "ResourceNotFoundException", "Savings Plan " + arn + " not found");
        }
        state.tag(Cloud.AWS, TYPE, id, AwsJson.tagMap(body, "tags"));
        return CloudResponse.json(200, Map.of());
    }

    private static Map<String, Object> plan(Commitment c) {
        Offering o = c.offering();
        BigDecimal commitment = new BigDecimal(c.attributes().getOrDefault("commitment", "0"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offeringId", o.offeringId());
        m.put("savingsPlanId", c.id());
        m.put("savingsPlanArn", arn(c));
        m.put("description", o.description());
        m.put("start", c.createdAt().toString());
        m.put("end", c.createdAt().plusSeconds(o.durationSeconds()).toString());
        m.put("state", c.state());
        m.put("region", c.region());
        if (o.attribute("instanceFamily") != null) {
            m.put("ec2InstanceFamily", o.attribute("instanceFamily"));
        }
        m.put("savingsPlanType", o.product());
        m.put("paymentOption", AwsCatalog.offeringType(o.payment()));
        m.put("productTypes", List.of("EC2"));
        m.put("currency", o.currency());
        m.put("commitment", commitment.toPlainString());
        m.put("upfrontPaymentAmount", o.upfront().multiply(commitment).toPlainString());
        m.put("recurringPaymentAmount", o.hourly().multiply(commitment).toPlainString());
        m.put("termDurationInSeconds", o.durationSeconds());
        m.put("tags", c.tags());
        return m;
    }

    private static Map<String, List<String>> filters(Map<String, Object> body) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (body.get("filters") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> f && f.get("name") != null) {
                    List<String> values = new ArrayList<>();
                    if (f.get("values") instanceof List<?> vs) {
                        vs.forEach(v -> values.add(String.valueOf(v)));
                    }
                    out.put(String.valueOf(f.get("name")), values);
                }
            }
        }
        return out;
    }
}
