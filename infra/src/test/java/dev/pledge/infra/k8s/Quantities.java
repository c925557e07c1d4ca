package dev.pledge.infra.k8s;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes memory quantities and Spring Boot durations, as the manifests and the ConfigMap spell them. */
final class Quantities {
    private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Pattern SPRING_DURATION = Pattern.compile("(-?\\d+)(ns|us|ms|s|m|h|d)?");

    private Quantities() {
    }

    static long bytes(Object quantity) {
        Matcher m = MEMORY.matcher(String.valueOf(quantity).strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory quantity: " + quantity);
        }
        double value = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> 1L;
        };
        return (long) (value * unit);
    }

    /** A Spring Boot duration: {@code 30s}, {@code 4m}, an ISO-8601 {@code PT30S}, or plain milliseconds. */
    static Duration duration(String text) {
        String t = text.strip();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(t);
        }
        Matcher m = SPRING_DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(n * 1000);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofMillis(n);
        };
    }
}
