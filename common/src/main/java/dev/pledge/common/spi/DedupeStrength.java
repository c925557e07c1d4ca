package dev.pledge.common.spi;

/** Who stops a second purchase for the same item token. */
public enum DedupeStrength {
    /** The cloud enforces our caller-chosen key (reservation id, alias, client token, request id). */
    SERVER_KEY,
    /** The API takes no caller key: only our lookup (tag, then attributes) protects. */
    LOOKUP_GUARD
}
