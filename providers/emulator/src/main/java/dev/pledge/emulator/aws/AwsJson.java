package dev.pledge.emulator.aws;

import dev.pledge.emulator.Offering;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the JSON protocols (JSON 1.1 and REST-JSON): timestamps, tags, typed reads. */
final class AwsJson {
    private AwsJson() {
    }

    /** JSON protocols send timestamps as epoch seconds with a fraction. */
    static double epochSeconds(Instant i) {
        return i.toEpochMilli() / 1000.0;
    }

    static String text(Map<String, Object> body, String field) {
        Object v = body.get(field);
        return v == null ? null : v.toString();
    }

    static Integer integer(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString());
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    static List<String> strings(Map<String, Object> body, String field) {
        Object v = body.get(field);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    /** A list of {@code {Key, Value}} objects. */
    static Map<String, String> tagList(Map<String, Object> body, String field) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (body.get(field) instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    tags.put(String.valueOf(m.get("Key")), m.get("Value") == null ? "" : String.valueOf(m.get("Value")));
                }
            }
        }
        return tags;
    }

    /** A JSON object of string values. */
    static Map<String, String> tagMap(Map<String, Object> body, String field) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (body.get(field) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> tags.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return tags;
    }

    static List<Map<String, Object>> recurring(Offering o) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o.hourly().signum() > 0) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("RecurringChargeAmount", o.hourly());
            m.put("RecurringChargeFrequency", "Hourly");
            out.add(m);
        }
        return out;
    }
}
