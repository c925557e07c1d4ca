package dev.pledge.app.security;

import dev.pledge.common.logging.Masking;

/**
 * A key just created: the only moment the whole key exists outside its holder. {@link #toString()}
 * masks it, so logging this record by accident does not leak it.
 */
public record IssuedKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "IssuedKey[" + key.id() + ", " + key.name() + ", " + Masking.mask(secret) + "]";
    }
}
