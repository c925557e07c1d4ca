package dev.pledge.common.idempotency;

import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.ValidationException;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The random token an execution gets once, when it is created. It never changes across
 * approvals, retries, re-drives and restarts; every key sent to a cloud derives from it.
 * A caller-supplied token (the CLI's {@code --token}) is accepted as given.
 * {@link #toString()} is masked so the token cannot reach a log by accident.
 */
public record ExecutionToken(String value) {
    /** 256 random bits for generated tokens (the design asks for at least 128). */
    public static final int GENERATED_BYTES = 32;
    private static final Pattern ALLOWED = Pattern.compile("[\\x21-\\x7E]{1,256}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ExecutionToken {
        if (value == null || value.isEmpty()) {
            throw new ValidationException("token", "is required");
        }
        if (!ALLOWED.matcher(value).matches()) {
            throw new ValidationException("token",
                    "must be 1-256 printable ASCII characters with no spaces");
        }
    }

    public static ExecutionToken generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        return new ExecutionToken(HexFormat.of().formatHex(bytes));
    }

    /** The item token of the item at {@code position} (0-based). */
    public ItemToken item(int position) {
        return ItemToken.derive(this, position);
    }

    public String masked() {
        return Masking.mask(value);
    }

    @Override
    public String toString() {
        return "ExecutionToken[" + masked() + "]";
    }
}
