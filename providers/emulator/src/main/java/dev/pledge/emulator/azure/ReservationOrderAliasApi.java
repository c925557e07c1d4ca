package dev.pledge.emulator.azure;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.CloudCall;
import dev.pledge.emulator.CloudRequest;
import dev.pledge.emulator.CloudResponse;
import dev.pledge.emulator.CloudState;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Azure reservations bought through {@code PUT /providers/Microsoft.BillingBenefits/reservationOrderAliases/{alias}};
 * bought reservations listed by {@code GET /providers/Microsoft.Capacity/reservations}; prices from
 * {@code POST /providers/Microsoft.Capacity/calculatePrice} (the catalog's price times the quantity).
 */
public final class ReservationOrderAliasApi extends OrderAliasApi {
    static final String CALCULATE_PRICE = "Reservation_CalculatePrice";

    public ReservationOrderAliasApi() {
        super(AzureCatalog.RESERVATION, "reservationOrderAliases", "reservation_", "/providers/Microsoft.Capacity/reservations",
                "ReservationOrderAlias");
    }

    @Override
    public List<Offering> seedOfferings() {
        return AzureCatalog.reservations();
    }

    @Override
    public Optional<CloudCall> recognise(CloudRequest request) {
        if (request.method().equals("POST")
                && request.path().equalsIgnoreCase("/providers/Microsoft.Capacity/calculatePrice")) {
            return Optional.of(new CloudCall(Cloud.AZURE, AzureCatalog.RESERVATION, CALCULATE_PRICE, CallKind.OFFERINGS));
        }
        return super.recognise(request);
    }

    @Override
    public CloudResponse handle(CloudCall call, CloudRequest request, CloudState state) {
        if (!call.operation().equals(CALCULATE_PRICE)) {
            return super.handle(call, request, state);
        }
        Optional<CloudResponse> refused = refuse(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            return calculatePrice(request, state);
        } catch (BadRequest e) {
            return ArmErrors.error(400, e.code, e.getMessage());
        }
    }

    /** {@code Microsoft.Capacity/calculatePrice}: billingPlan there is {@code Upfront} or {@code Monthly}. */
    private CloudResponse calculatePrice(CloudRequest request, CloudState state) {
        Map<String, Object> body;
        try {
            body = request.json();
        } catch (RuntimeException e) {
            throw new BadRequest("InvalidRequestContent", "The request content is not valid JSON: " + e.getMessage());
        }
        String sku = text(object(body, "sku", "sku"), "name", "sku.name");
        String location = text(body, "location", "location");
        Map<String, Object> props = object(body, "properties", "properties");
        String term = term(text(props, "term", "properties.term"), "properties.term");
        String plan = Optional.ofNullable(optionalText(props, "billingPlan")).orElse("Upfront");
        String payment = switch (plan.toLowerCase(Locale.ROOT)) {
            case "upfront" -> "upfront";
            case "monthly" -> "monthly";
            default -> throw new BadRequest("InvalidBillingPlan", "'properties.billingPlan' must be Upfront or Monthly");
        };
        Object q = props.get("quantity");
        int quantity = q instanceof Number n ? n.intValue() : 1;
        Offering o = state.offerings(Cloud.AZURE, AzureCatalog.RESERVATION, location).stream()
                .filter(x -> x.product().equalsIgnoreCase(sku) && x.term().equals(term) && payment.equals(x.payment()))
                .findFirst()
                .orElseThrow(() -> new BadRequest("SkuNotAvailable", "The SKU '" + sku + "' is not available for a "
                        + term + " " + payment + " purchase in '" + location + "'"));
        BigDecimal units = BigDecimal.valueOf(quantity);
        BigDecimal monthly = o.hourly().multiply(BigDecimal.valueOf(730)).multiply(units).setScale(2, RoundingMode.HALF_UP);
        BigDecimal total = payment.equals("upfront") ? o.upfront().multiply(units).setScale(2, RoundingMode.HALF_UP)
                : monthly.multiply(BigDecimal.valueOf(12L * o.years()));
        Map<String, Object> money = Map.of("currencyCode", o.currency(), "amount", total);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("billingCurrencyTotal", money);
        out.put("pricingCurrencyTotal", money);
        out.put("isBillingPartnerManaged", false);
        out.put("reservationOrderId", UUID.randomUUID().toString());
        out.put("skuTitle", o.product());
        out.put("skuDescription", o.description());
        if (payment.equals("monthly")) {
            Map<String, Object> instalment = Map.of("currencyCode", o.currency(), "amount", monthly);
            out.put("paymentSchedule", List.of(Map.of("dueDate", state.now().toString().substring(0, 10),
                    "pricingCurrencyTotal", instalment, "billingCurrencyTotal", instalment, "status", "Scheduled")));
        }
        return CloudResponse.json(200, Map.of("properties", out));
    }

    @Override
    String orderType() {
        return "Microsoft.Capacity/reservationOrders";
    }

    @Override
    int acceptedStatus() {
        return 201;
    }

    @Override
    String newOrderId() {
        return "/providers/Microsoft.Capacity/reservationOrders/" + UUID.randomUUID();
    }

    @Override
    PurchaseSpec parse(String alias, Map<String, Object> body) {
        Map<String, Object> sku = object(body, "sku", "sku");
        String location = text(body, "location", "location");
        Map<String, Object> props = object(body, "properties", "properties");
        Map<String, String> attributes = new LinkedHashMap<>();
        common(props, attributes, alias);
        attributes.put("reservedResourceType", text(props, "reservedResourceType", "properties.reservedResourceType"));
        Object quantity = props.get("quantity");
        if (!(quantity instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue()) {
            throw new BadRequest("InvalidQuantity", "'properties.quantity' must be a whole number of at least 1, was "
                    + quantity);
        }
        Object resourceProps = props.get("reservedResourceProperties");
        if (resourceProps instanceof Map<?, ?> m && m.get("instanceFlexibility") != null) {
            attributes.put("instanceFlexibility", String.valueOf(m.get("instanceFlexibility")));
        }
        return new PurchaseSpec(text(props, "billingScopeId", "properties.billingScopeId"), location,
                text(sku, "name", "sku.name"), term(attributes.get("term"), "properties.term"),
                payment(attributes.get("billingPlan")), n.intValue(), attributes);
    }

    @Override
    Map<String, Object> aliasBody(Commitment c, String provisioningState) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", aliasResourceId("reservationOrderAliases", c.key()));
        body.put("name", c.key());
        body.put("type", "Microsoft.BillingBenefits/reservationOrderAliases");
        body.put("sku", Map.of("name", c.offering().product()));
        body.put("location", c.region());
        Map<String, Object> props = new LinkedHashMap<>();
        commonProperties(c, props);
        props.put("reservationOrderId", c.id());
        props.put("provisioningState", provisioningState);
        props.put("quantity", c.quantity());
        props.put("reservedResourceType", c.attribute("reservedResourceType"));
        if (c.attribute("instanceFlexibility") != null) {
            props.put("reservedResourceProperties", Map.of("instanceFlexibility", c.attribute("instanceFlexibility")));
        }
        body.put("properties", props);
        return body;
    }

    @Override
    Map<String, Object> listed(Commitment c) {
        Map<String, Object> r = new LinkedHashMap<>();
        String reservationId = UUID.nameUUIDFromBytes(c.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        r.put("id", c.id() + "/reservations/" + reservationId);
        r.put("name", c.id().substring(c.id().lastIndexOf('/') + 1) + "/" + reservationId);
        r.put("type", "Microsoft.Capacity/reservationOrders/reservations");
        r.put("sku", Map.of("name", c.offering().product()));
        r.put("location", c.region());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("displayName", c.attribute("displayName"));
        props.put("quantity", c.quantity());
        props.put("billingScopeId", c.account());
        props.put("term", c.attribute("term"));
        props.put("reservedResourceType", c.attribute("reservedResourceType"));
        props.put("appliedScopeType", c.attribute("appliedScopeType"));
        props.put("purchaseDateTime", c.createdAt().toString());
        props.put("provisioningState", c.state());
        r.put("properties", props);
        return r;
    }
}
