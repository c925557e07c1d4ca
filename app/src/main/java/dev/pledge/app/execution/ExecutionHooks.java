package dev.pledge.app.execution;

import dev.pledge.common.model.CommitmentRequest;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What other capabilities (prices, budgets) add to the workflow's transactions. Every method runs
 * inside the transaction of the change it extends, except {@link #creating}, which runs before the
 * create transaction (it may call a cloud) and returns what to write inside it. Throwing refuses the
 * change: the transaction rolls back and the exception reaches the caller.
 */
public interface ExecutionHooks {

    /** Before a purchase is created; the consumer gets the new execution id inside the create transaction. */
    default Consumer<UUID> creating(NewExecution request, List<CommitmentRequest> items) {
        return id -> { };
    }

    /** How many approvals, by different people besides the creator, the purchase needs (at least 1). */
    default int approvalsNeeded(UUID executionId) {
        return 1;
    }

    /** PENDING_APPROVAL -> APPROVED, after the status moved. */
    default void approving(UUID executionId) {
    }

    /** FAILED / PARTIALLY_SUCCEEDED -> APPROVED, after the items not bought went back to PENDING. */
    default void redriving(UUID executionId) {
    }
}
