package dev.pledge.common.idempotency;

import dev.pledge.common.model.ValidationException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Pure functions from an {@link ItemToken} to the identifiers sent to clouds. Rules (also in
 * {@code common/README.md}, with test vectors):
 * <ul>
 *   <li>{@link #reservationId}: {@code prefix + token.hex[0..n)} where n fills the result up to
 *       {@code maxLength} (at most 48 of the 64 hex digits, so a key never holds the whole token). The prefix must start with a letter and
 *       fit the charset; at least 16 hex digits (64 bits) must fit, or the call is refused.</li>
 *   <li>{@link #rfc1035Name}: the same with the charset {@code [a-z0-9-]}, max 63, matching
 *       {@code [a-z]([-a-z0-9]*[a-z0-9])?}.</li>
 *   <li>{@link #uuid}: RFC 9562 version 5 (SHA-1, name-based) in the fixed
 *       {@link #NAMESPACE}, the name being the 64 hex characters in UTF-8.</li>
 * </ul>
 */
public final class KeyDerivation {
    /** Pledge's fixed namespace for name-based UUIDs. Never change it: keys already sent depend on it. */
    public static final UUID NAMESPACE = UUID.fromString("0d1f6c52-7a39-4e0b-9f63-5c2be8a1d407");
    public static final int MIN_HEX = 16;
    /** A derived key never holds the whole item token, so keys can be logged and shown freely. */
    public static final int MAX_HEX = 48;
    private static final Pattern RFC1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private KeyDerivation() {
    }

    public static String reservationId(ItemToken token, String prefix, int maxLength, KeyCharset charset) {
        if (prefix == null || prefix.isEmpty() || !Character.isLetter(prefix.charAt(0)) || !charset.accepts(prefix)) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must start with a letter and fit " + charset);
        }
        int hex = Math.min(MAX_HEX, maxLength - prefix.length());
        if (hex < MIN_HEX) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves " + hex
                    + " hex digits after prefix '" + prefix + "'; at least " + MIN_HEX + " are needed");
        }
        return prefix + token.hex().substring(0, hex);
    }

    /** An RFC 1035 label: lowercase, starts with a letter, at most 63 characters. */
    public static String rfc1035Name(ItemToken token, String prefix) {
        String name = reservationId(token, prefix, 63, KeyCharset.LOWER_ALNUM_HYPHEN);
        if (!RFC1035.matcher(name).matches()) {
            throw new IllegalArgumentException("prefix '" + prefix + "' does not give an RFC 1035 name");
        }
        return name;
    }

    /** RFC 9562 section 5.5 name-based UUID (version 5) of the token in {@link #NAMESPACE}. */
    public static UUID uuid(ItemToken token) {
        return uuidV5(NAMESPACE, token.hex());
    }

    static UUID uuidV5(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer ns = ByteBuffer.allocate(16);
            ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
            sha1.update(ns.array());
            sha1.update(name.getBytes(StandardCharsets.UTF_8));
            byte[] h = sha1.digest();
            h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
            h[8] = (byte) ((h[8] & 0x3f) | 0x80); // variant 10xx
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    /** Checks a caller-visible key against a length rule; the error names the field. */
    public static void checkLength(String field, String key, int min, int max) {
        if (key.length() < min || key.length() > max) {
            throw new ValidationException(field, "must be " + min + "-" + max + " characters, derived '" + key
                    + "' has " + key.length());
        }
    }
}
