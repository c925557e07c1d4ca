package dev.pledge.emulator.azure;

import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Azure reservations bought through {@code PUT /providers/Microsoft.BillingBenefits/reservationOrderAliases/{alias}};
 * bought reservations listed by {@code GET /providers/Microsoft.Capacity/reservations}.
 */
public final class ReservationOrderAliasApi extends OrderAliasApi {

    public ReservationOrderAliasApi() {
        super(AzureCatalog.RESERVATION, "reservationOrderAliases", "reservation_", "/providers/Microsoft.Capacity/reservations",
                "ReservationOrderAlias");
    }

    @Override
    public List<Offering> seedOfferings() {
        return AzureCatalog.reservations();
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
