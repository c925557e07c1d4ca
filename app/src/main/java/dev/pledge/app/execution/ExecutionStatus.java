package dev.pledge.app.execution;

import java.util.EnumSet;
import java.util.Set;

/** The lifecycle of DESIGN.md; names are stored as they are spelled here. */
public enum ExecutionStatus {
    PENDING_APPROVAL, APPROVED, RUNNING, SUCCEEDED, PARTIALLY_SUCCEEDED, FAILED, REJECTED, CANCELED, EXPIRED;

    /** Statuses from which a re-drive is allowed. */
    public static final Set<ExecutionStatus> REDRIVABLE = EnumSet.of(FAILED, PARTIALLY_SUCCEEDED);
    /** Statuses from which a cancel is allowed: anything before a worker starts. */
    public static final Set<ExecutionStatus> CANCELABLE = EnumSet.of(PENDING_APPROVAL, APPROVED);

    public boolean isFinished() {
        return switch (this) {
            case SUCCEEDED, PARTIALLY_SUCCEEDED, FAILED, REJECTED, CANCELED, EXPIRED -> true;
            default -> false;
        };
    }
}
