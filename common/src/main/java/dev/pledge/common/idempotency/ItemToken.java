package dev.pledge.common.idempotency;

import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.ValidationException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * 64 lowercase hex characters from which every key of one line item is derived.
 * For an execution it is {@code SHA-256(executionToken + ":" + position)}; for the one-off,
 * non-idempotent mode it is {@link #oneOff(Clock) time plus randomness}.
 * {@link #toString()} is masked.
 */
public record ItemToken(String hex) {
    public static final int LENGTH = 64;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ItemToken {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new ValidationException("itemToken", "must be 64 lowercase hex characters");
        }
    }

    public static ItemToken derive(ExecutionToken execution, int position) {
        if (position < 0) {
            throw new ValidationException("position", "must be 0 or more, was " + position);
        }
        return new ItemToken(sha256Hex(execution.value() + ":" + position));
    }

    /**
     * A key source unique per call, for the documented non-idempotent one-off mode: 12 hex
     * digits of the epoch millisecond, then 52 random hex digits (208 bits), so derived IDs
     * sort by time and never collide in practice.
     */
    public static ItemToken oneOff(Clock clock) {
        byte[] random = new byte[26];
        RANDOM.nextBytes(random);
        String time = String.format("%012x", clock.millis() & 0xFFFF_FFFF_FFFFL);
        return new ItemToken(time + HexFormat.of().formatHex(random));
    }

    /** RFC 9562 version-5 UUID of this token (see {@link KeyDerivation#uuid}). */
    public java.util.UUID uuid() {
        return KeyDerivation.uuid(this);
    }

    public String masked() {
        return Masking.mask(hex);
    }

    @Override
    public String toString() {
        return "ItemToken[" + masked() + "]";
    }

    static String sha256Hex(String input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
