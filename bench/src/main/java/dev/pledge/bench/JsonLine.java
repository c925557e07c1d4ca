package dev.pledge.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One result as a single line of JSON, fields in insertion order. Values are strings, numbers,
 * booleans, null, nested {@code Map}s and collections.
 */
public final class JsonLine {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public static JsonLine of(String scenario) {
        return new JsonLine().put("scenario", scenario);
    }

    public JsonLine put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    /** A number rounded to {@code decimals} places, so the line stays readable. */
    public JsonLine put(String name, double value, int decimals) {
        fields.put(name, round(value, decimals));
        return this;
    }

    public JsonLine putAll(Map<String, ?> more) {
        fields.putAll(more);
        return this;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(256);
        write(out, fields);
        return out.toString();
    }

    static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, o);
            }
            out.append(']');
        } else if (value instanceof Double d) {
            number(out, d);
        } else if (value instanceof Float f) {
            number(out, f.doubleValue());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }

    private static void number(StringBuilder out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(d);
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
