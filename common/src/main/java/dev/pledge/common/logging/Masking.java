package dev.pledge.common.logging;

/**
 * How tokens, keys and credentials appear in logs, errors and API responses: never whole.
 * <ul>
 *   <li>null or empty: {@code (none)}</li>
 *   <li>8 characters or fewer: {@code (redacted)}, since a prefix would be most of it</li>
 *   <li>longer: the first 8 characters and an ellipsis, e.g. {@code 3f9a01bc…}</li>
 * </ul>
 */
public final class Masking {
    public static final int VISIBLE = 8;

    private Masking() {
    }

    public static String mask(CharSequence secret) {
        if (secret == null || secret.length() == 0) {
            return "(none)";
        }
        if (secret.length() <= VISIBLE) {
            return "(redacted)";
        }
        return secret.subSequence(0, VISIBLE) + "…";
    }
}
