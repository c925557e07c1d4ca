package dev.pledge.app.engine;

import dev.pledge.common.idempotency.ExecutionToken;

import java.time.Instant;
import java.util.UUID;

/** An execution a worker has just claimed (RUNNING, claimed_by = the worker). */
record ClaimedExecution(UUID id, ExecutionToken token, int attempt, int claims, String worker, Instant approvedAt,
                        Instant claimedAt) {
}
