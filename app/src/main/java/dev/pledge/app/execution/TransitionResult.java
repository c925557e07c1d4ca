package dev.pledge.app.execution;

import java.util.UUID;

/**
 * What a compare-and-set status change did: it moved; the execution exists but was in another
 * status (a lost race, or a change that status does not allow); or there is no such execution.
 * A database error is none of these: it propagates as an exception.
 */
public sealed interface TransitionResult {

    record Moved(Execution execution) implements TransitionResult {
    }

    /** The execution exists and is in {@code current}, from which this change is not possible. */
    record OtherStatus(UUID id, ExecutionStatus current, String reason) implements TransitionResult {
    }

    record NotFound(UUID id) implements TransitionResult {
    }

    /**
     * A purchase that needs two approvals (above {@code pledge.purchases.second-approval-above}) got its first:
     * it stays PENDING_APPROVAL until another person, neither its creator nor {@code firstOwner}, approves.
     */
    record FirstApproval(Execution execution, String firstOwner) implements TransitionResult {
    }

    default boolean moved() {
        return this instanceof Moved;
    }
}
