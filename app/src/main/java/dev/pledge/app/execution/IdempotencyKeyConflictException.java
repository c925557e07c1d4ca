package dev.pledge.app.execution;

import java.util.UUID;

/** The idempotency key was used before with a different request; nothing was written. */
public class IdempotencyKeyConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final UUID existingExecution;

    public IdempotencyKeyConflictException(UUID existingExecution) {
        super("the Idempotency-Key was already used for execution " + existingExecution
                + " with a different request; use a new key for a new request");
        this.existingExecution = existingExecution;
    }

    public UUID existingExecution() {
        return existingExecution;
    }
}
