package dev.pledge.common.insight;

import dev.pledge.common.model.ValidationException;

/** The usage window a recommendation is computed over. Every cloud offers these three. */
public enum Lookback {
    SEVEN_DAYS(7), THIRTY_DAYS(30), SIXTY_DAYS(60);

    private final int days;

    Lookback(int days) {
        this.days = days;
    }

    public int days() {
        return days;
    }

    /** ISO-8601 period, e.g. {@code P30D}. */
    public String iso() {
        return "P" + days + "D";
    }

    /** Parses {@code 7d}, {@code 30d}, {@code 60d} (or the number of days); the error names {@code field}. */
    public static Lookback parse(String field, String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("d$", "");
            for (Lookback l : values()) {
                if (String.valueOf(l.days).equals(v)) {
                    return l;
                }
            }
        }
        throw new ValidationException(field, "'" + value + "' is not a lookback window; allowed: 7d, 30d, 60d");
    }
}
