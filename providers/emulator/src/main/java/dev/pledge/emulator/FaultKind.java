package dev.pledge.emulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What an injected fault does to a matching call. */
public enum FaultKind {
    /** Answers HTTP {@code status} with the cloud's error {@code code}; nothing changes. */
    ERROR("error"),
    /** Answers the cloud's throttling error; nothing changes. */
    THROTTLE("throttle"),
    /** Handles the call normally after {@code delayMs}. */
    DELAY("delay"),
    /** Resets the connection without handling the call: nothing changes. */
    RESET_BEFORE_COMMIT("reset-before-commit"),
    /** Handles the call (a purchase commits), then resets the connection: the response is lost. */
    RESET_AFTER_COMMIT("reset-after-commit"),
    /** Handles a lookup as if the cloud held no commitments yet (a lagging describe). */
    STALE_READ("stale-read"),
    /**
     * Handles the first matching call (a purchase commits) and resets the connection, so its response
     * is lost; then throttles the next {@code times} calls of that same operation (a client's retries).
     */
    COMMIT_THEN_THROTTLE("commit-then-throttle"),
    /** Answers the cloud's authorization error (AWS 403 AccessDenied, Azure 403 AuthorizationFailed, GCP 403 forbidden). */
    REFUSED("refused");

    private final String slug;

    FaultKind(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    public static FaultKind fromSlug(String value) {
        for (FaultKind k : values()) {
            if (k.slug.equalsIgnoreCase(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("fault: unknown '" + value + "'; allowed: "
                + Arrays.stream(values()).map(FaultKind::slug).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return slug;
    }
}
