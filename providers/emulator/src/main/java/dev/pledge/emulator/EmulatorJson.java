package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The control API's JSON shapes, both ways (the server writes them, {@link EmulatorClient} reads them). */
final class EmulatorJson {
    private EmulatorJson() {
    }

    static Map<String, Object> commitment(Commitment c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cloud", c.cloud().slug());
        m.put("type", c.type());
        m.put("account", c.account());
        m.put("region", c.region());
        m.put("id", c.id());
        m.put("key", c.key());
        m.put("offering", c.offering().offeringId());
        m.put("product", c.offering().product());
        m.put("quantity", c.quantity());
        m.put("tags", c.tags());
        m.put("createdAt", c.createdAt().toString());
        m.put("state", c.state());
        m.put("attributes", c.attributes());
        return m;
    }

    static Map<String, Object> offering(Offering o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cloud", o.cloud().slug());
        m.put("type", o.type());
        m.put("region", o.region());
        m.put("offeringId", o.offeringId());
        m.put("product", o.product());
        m.put("term", o.term());
        m.put("payment", o.payment());
        m.put("description", o.description());
        m.put("currency", o.currency());
        m.put("upfront", o.upfront().toPlainString());
        m.put("hourly", o.hourly().toPlainString());
        m.put("attributes", o.attributes());
        return m;
    }

    static Map<String, Object> fault(FaultSpec f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cloud", f.cloud().slug());
        m.put("type", f.type());
        m.put("operation", f.operation());
        m.put("fault", f.fault().slug());
        m.put("times", f.times());
        m.put("status", f.status());
        m.put("code", f.code());
        m.put("delayMs", f.delayMs());
        m.put("callKinds", f.callKinds().stream().map(Enum::name).sorted().toList());
        return m;
    }

    static Map<String, Object> count(RequestCount r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cloud", r.call().cloud().slug());
        m.put("type", r.call().type());
        m.put("operation", r.call().operation());
        m.put("kind", r.call().kind().name());
        m.put("count", r.count());
        return m;
    }

    static Offering toOffering(Map<String, Object> m) {
        Cloud cloud = Cloud.fromSlug("cloud", required(m, "cloud"));
        String type = required(m, "type");
        String region = required(m, "region");
        String product = required(m, "product");
        String term = required(m, "term");
        String payment = text(m, "payment");
        String id = text(m, "offeringId");
        return new Offering(cloud, type, region, id != null ? id : Offering.stableId(type, region, product, term, payment),
                product, term, payment, text(m, "description"), text(m, "currency"), decimal(m, "upfront"),
                decimal(m, "hourly"), stringMap(m.get("attributes")));
    }

    static FaultSpec toFault(Map<String, Object> m) {
        Cloud cloud = Cloud.fromSlug("cloud", required(m, "cloud"));
        FaultKind kind = FaultKind.fromSlug(required(m, "fault"));
        return new FaultSpec(cloud, text(m, "type"), text(m, "operation"), kind, integer(m, "times", 1),
                integer(m, "status", 500), text(m, "code"), integer(m, "delayMs", 0), callKinds(m.get("callKinds")));
    }

    /** {@code "LOOKUP"} or {@code ["LOOKUP", "OFFERINGS"]}; absent or empty matches every kind. */
    static java.util.Set<CallKind> callKinds(Object v) {
        if (v == null) {
            return java.util.Set.of();
        }
        List<?> names = v instanceof List<?> l ? l : List.of(v);
        java.util.Set<CallKind> out = java.util.EnumSet.noneOf(CallKind.class);
        for (Object n : names) {
            try {
                out.add(CallKind.valueOf(String.valueOf(n).trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("callKinds: unknown '" + n + "'; allowed: "
                        + java.util.Arrays.toString(CallKind.values()));
            }
        }
        return out;
    }

    static RequestCount toCount(Map<String, Object> m) {
        return new RequestCount(new CloudCall(Cloud.fromSlug("cloud", required(m, "cloud")), text(m, "type"),
                required(m, "operation"), CallKind.valueOf(required(m, "kind"))), integer(m, "count", 0));
    }

    /** A commitment as the control API lists it; the offering is resolved from {@code offerings}. */
    static Commitment toCommitment(Map<String, Object> m, List<Offering> offerings) {
        Cloud cloud = Cloud.fromSlug("cloud", required(m, "cloud"));
        String type = required(m, "type");
        String offeringId = required(m, "offering");
        Offering offering = offerings.stream()
                .filter(o -> o.cloud() == cloud && o.type().equals(type) && o.offeringId().equals(offeringId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("offering: no " + type + " offering '" + offeringId
                        + "' in the catalog"));
        String created = text(m, "createdAt");
        return new Commitment(cloud, type, required(m, "account"), text(m, "region") != null ? text(m, "region")
                : offering.region(), required(m, "id"), text(m, "key"), offering, integer(m, "quantity", 1),
                stringMap(m.get("tags")), created == null ? Instant.now() : Instant.parse(created), text(m, "state"),
                stringMap(m.get("attributes")));
    }

    static String required(Map<String, Object> m, String field) {
        String v = text(m, field);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field + ": is required");
        }
        return v;
    }

    static String text(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? null : v.toString();
    }

    static int integer(Map<String, Object> m, String field, int otherwise) {
        Object v = m.get(field);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": must be a whole number, was '" + v + "'");
        }
    }

    static BigDecimal decimal(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": must be a number, was '" + v + "'");
        }
    }

    static Map<String, String> stringMap(Object v) {
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("expected a JSON object of strings, got " + v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, val) -> out.put(String.valueOf(k), val == null ? null : String.valueOf(val)));
        return out;
    }
}
