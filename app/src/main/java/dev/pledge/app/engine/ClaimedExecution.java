package dev.pledge.app.engine;

import dev.pledge.common.idempotency.ExecutionToken;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An execution a worker has just claimed (RUNNING, claimed_by = the worker), with its items as read
 * in the claim's transaction.
 */
record ClaimedExecution(UUID id, ExecutionToken token, int attempt, int claims, String worker, Instant approvedAt,
                        Instant claimedAt, List<WorkItem> items) {

    ClaimedExecution {
        items = List.copyOf(items);
    }

    ClaimedExecution withItems(List<WorkItem> read) {
        return new ClaimedExecution(id, token, attempt, claims, worker, approvedAt, claimedAt, read);
    }
}
