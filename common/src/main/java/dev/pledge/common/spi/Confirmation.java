package dev.pledge.common.spi;

import java.util.Objects;

/**
 * What the cloud says now about a commitment that was bought in a not-yet-final state (an Azure order
 * {@code Creating}/{@code PendingBilling}, a GCP commitment {@code CREATING}, an AWS reservation
 * {@code payment-pending}/{@code queued}).
 *
 * @param state  still in progress, final and held, or final and failed (nothing is held)
 * @param detail the cloud's state word and anything a person needs to act
 */
public record Confirmation(State state, String detail) {
    public enum State {
        /** Still in progress at the cloud: ask again later. */
        PENDING,
        /** Final: the commitment is held. */
        ACTIVE,
        /** Final: the order failed or was cancelled by the cloud; nothing is held. */
        FAILED
    }

    public Confirmation {
        Objects.requireNonNull(state, "state");
    }

    public static Confirmation pending(String detail) {
        return new Confirmation(State.PENDING, detail);
    }

    public static Confirmation active(String detail) {
        return new Confirmation(State.ACTIVE, detail);
    }

    public static Confirmation failed(String detail) {
        return new Confirmation(State.FAILED, detail);
    }
}
