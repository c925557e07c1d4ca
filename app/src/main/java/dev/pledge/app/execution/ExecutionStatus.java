package dev.pledge.app.execution;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of DESIGN.md; names are stored as they are spelled here. CONFIRMING: the workers are
 * done, but the cloud has not finished an order yet; the confirmation sweep gives the final status.
 */
public enum ExecutionStatus {
    PENDING_APPROVAL, APPROVED, RUNNING, CONFIRMING, SUCCEEDED, PARTIALLY_SUCCEEDED, FAILED, REJECTED, CANCELED, EXPIRED;

    /** Statuses from which a re-drive is allowed. */
    public static final Set<ExecutionStatus> REDRIVABLE = EnumSet.of(FAILED, PARTIALLY_SUCCEEDED);
    /**
     * Statuses from which a cancel is allowed: before a worker starts. From APPROVED only while no item
     * has an attempt (an execution handed back by a sweep, re-drive or shutdown may hold one that bought):
     * the cancel statement checks that too.
     */
    public static final Set<ExecutionStatus> CANCELABLE = EnumSet.of(PENDING_APPROVAL, APPROVED);

    public boolean isFinished() {
        return switch (this) {
            case SUCCEEDED, PARTIALLY_SUCCEEDED, FAILED, REJECTED, CANCELED, EXPIRED -> true;
            default -> false;
        };
    }
}
