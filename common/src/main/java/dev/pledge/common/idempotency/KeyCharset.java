package dev.pledge.common.idempotency;

import java.util.regex.Pattern;

/** The characters a cloud accepts in a caller-chosen identifier. Hex digits fit every one of them. */
public enum KeyCharset {
    /** {@code [a-z0-9-]}: GCP-style names, most AWS reservation ids. */
    LOWER_ALNUM_HYPHEN("[a-z0-9-]"),
    /** {@code [A-Za-z0-9-]}. */
    ALNUM_HYPHEN("[A-Za-z0-9-]"),
    /** {@code [A-Za-z0-9_-]}: Azure alias names. */
    ALNUM_HYPHEN_UNDERSCORE("[A-Za-z0-9_-]"),
    /** {@code [A-Za-z0-9]}. */
    ALNUM("[A-Za-z0-9]");

    private final Pattern one;

    KeyCharset(String one) {
        this.one = Pattern.compile(one + "*");
    }

    public boolean accepts(String s) {
        return one.matcher(s).matches();
    }
}
