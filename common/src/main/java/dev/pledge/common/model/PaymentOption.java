package dev.pledge.common.model;

/**
 * How a commitment is paid. AWS sells {@code no-upfront}, {@code partial-upfront} and
 * {@code all-upfront}; Azure sells {@code upfront} and {@code monthly}; GCP commitments take
 * no payment option.
 */
public enum PaymentOption {
    NO_UPFRONT("no-upfront", "No Upfront"),
    PARTIAL_UPFRONT("partial-upfront", "Partial Upfront"),
    ALL_UPFRONT("all-upfront", "All Upfront"),
    UPFRONT("upfront", "Upfront"),
    MONTHLY("monthly", "Monthly");

    private final String slug;
    private final String cloudName;

    PaymentOption(String slug, String cloudName) {
        this.slug = slug;
        this.cloudName = cloudName;
    }

    public String slug() {
        return slug;
    }

    /** The spelling the cloud's API uses (AWS {@code "Partial Upfront"}, Azure {@code "Upfront"}). */
    public String cloudName() {
        return cloudName;
    }

    public static PaymentOption fromSlug(String value) {
        for (PaymentOption p : values()) {
            if (p.slug.equalsIgnoreCase(value)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return slug;
    }
}
