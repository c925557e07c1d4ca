package dev.pledge.common.model;

import java.time.Period;

/** Commitment length, in the one vocabulary used by the CLI, the API and the docs. */
public enum Term {
    ONE_YEAR("1y", 1),
    THREE_YEARS("3y", 3),
    FIVE_YEARS("5y", 5);

    private final String slug;
    private final int years;

    Term(String slug, int years) {
        this.slug = slug;
        this.years = years;
    }

    public String slug() {
        return slug;
    }

    public int years() {
        return years;
    }

    public Period period() {
        return Period.ofYears(years);
    }

    /** Duration in seconds as AWS reports it (365-day years). */
    public long awsDurationSeconds() {
        return years * 365L * 24 * 3600;
    }

    /** ISO-8601 form used by Azure ({@code P1Y}, {@code P3Y}, {@code P5Y}). */
    public String iso() {
        return "P" + years + "Y";
    }

    public static Term fromSlug(String value) {
        for (Term t : values()) {
            if (t.slug.equalsIgnoreCase(value)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return slug;
    }
}
