package dev.pledge.app.execution;

import java.util.UUID;

/** Refused by {@link FourEyes}: the person who created the purchase tried to approve or re-drive it. */
public final class FourEyesException extends RuntimeException {
    private final UUID execution;

    public FourEyesException(UUID execution, String action, String owner) {
        super("purchase " + execution + " was created by " + owner + "; four-eyes needs another person to "
                + action.toLowerCase() + " it (a second key of the same owner does not count)");
        this.execution = execution;
    }

    public FourEyesException(UUID execution, String action, String owner, String message) {
        super(owner + " " + message);
        this.execution = execution;
    }

    public UUID execution() {
        return execution;
    }
}
