package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.usage.Shortfall;
import dev.pledge.emulator.usage.Usage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Control routes of the read side: the usage model ({@code PUT / GET / DELETE /__pledge/usage}) that
 * recommendations derive from, and {@code POST /__pledge/clock}, which ages every held commitment.
 */
final class InsightControl {
    private final Emulator emulator;

    InsightControl(Emulator emulator) {
        this.emulator = emulator;
    }

    /** The answer to a route, or null when the route is not one of these. */
    CloudResponse handle(String route, CloudRequest r) {
        CloudState state = emulator.state();
        return switch (route) {
            case "PUT /usage", "POST /usage" -> {
                List<Usage> lines = toUsage(r.body());
                state.usage().put(lines);
                yield CloudResponse.json(200, Map.of("usage", state.usage().all().stream().map(InsightControl::usage)
                        .toList()));
            }
            case "GET /usage" -> CloudResponse.json(200, Map.of("usage", state.usage().all().stream()
                    .map(InsightControl::usage).toList()));
            case "DELETE /usage" -> {
                state.usage().clear();
                yield CloudResponse.json(200, Map.of("usage", List.of()));
            }
            case "POST /clock" -> {
                Map<String, Object> body = r.json();
                int days = EmulatorJson.integer(body, "advanceDays", -1);
                if (days < 1 || days > 3650) {
                    throw new IllegalArgumentException("advanceDays: is required, 1-3650");
                }
                yield CloudResponse.json(200, Map.of("aged", age(state, Duration.ofDays(days)), "advanceDays", days));
            }
            default -> null;
        };
    }

    /** Moves every commitment's start (and endsAt) back; those past their end take the cloud's expired state. */
    static int age(CloudState state, Duration by) {
        Instant now = state.now();
        int n = 0;
        for (Commitment c : state.commitments()) {
            Map<String, String> attributes = new LinkedHashMap<>(c.attributes());
            if (attributes.containsKey("endsAt")) {
                attributes.put("endsAt", Instant.parse(attributes.get("endsAt")).minus(by).toString());
            }
            Commitment aged = new Commitment(c.cloud(), c.type(), c.account(), c.region(), c.id(), c.key(),
                    c.offering(), c.quantity(), c.tags(), c.createdAt().minus(by), c.state(), attributes);
            if (!Shortfall.end(aged).isAfter(now)) {
                aged = aged.withState(switch (c.cloud()) {
                    case AWS -> "retired";
                    case AZURE -> "Expired";
                    case GCP -> "EXPIRED";
                });
            }
            state.add(aged);
            n++;
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static List<Usage> toUsage(String body) {
        Object parsed = com.github.tomakehurst.wiremock.common.Json.read(body.isBlank() ? "[]" : body, Object.class);
        List<Object> items;
        if (parsed instanceof List<?> l) {
            items = new ArrayList<>(l);
        } else if (parsed instanceof Map<?, ?> m && m.get("usage") instanceof List<?> l) {
            items = new ArrayList<>(l);
        } else if (parsed instanceof Map<?, ?> m) {
            items = List.of(m);
        } else {
            throw new IllegalArgumentException("usage: expected an object, an array of objects or {\"usage\": [...]}");
        }
        List<Usage> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> raw)) {
                throw new IllegalArgumentException("usage[" + i + "]: must be an object");
            }
            Map<String, Object> m = (Map<String, Object>) raw;
            try {
                Map<String, String> attributes = new LinkedHashMap<>();
                if (m.get("attributes") instanceof Map<?, ?> a) {
                    a.forEach((k, v) -> attributes.put(String.valueOf(k), String.valueOf(v)));
                }
                out.add(new Usage(Cloud.fromSlug("cloud", text(m, "cloud")), text(m, "type"), text(m, "account"),
                        text(m, "region"), text(m, "product"), decimal(m, "units"), decimal(m, "onDemandHourly"),
                        attributes));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("usage[" + i + "]." + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String text(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? null : v.toString();
    }

    private static BigDecimal decimal(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": must be a decimal number, was '" + v + "'");
        }
    }

    static Map<String, Object> usage(Usage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cloud", u.cloud().slug());
        m.put("type", u.type());
        m.put("account", u.account());
        m.put("region", u.region());
        m.put("product", u.product());
        m.put("units", u.units().toPlainString());
        if (u.onDemandHourly() != null) {
            m.put("onDemandHourly", u.onDemandHourly().toPlainString());
        }
        m.put("attributes", u.attributes());
        return m;
    }
}
