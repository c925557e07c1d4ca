package dev.pledge.app.execution;

import dev.pledge.common.idempotency.ExecutionToken;

import java.time.Instant;
import java.util.UUID;

/**
 * One purchase request and where it stands. The token prints masked.
 *
 * @param attempt   1 for the first run, +1 per re-drive
 * @param claims    how many times workers claimed it within this attempt
 * @param claimedBy the worker that owns it while RUNNING, else null
 */
public record Execution(UUID id, ExecutionToken token, ExecutionStatus status, String description,
                        Instant notBefore, String createdBy, Instant createdAt, String approvedBy, Instant approvedAt,
                        String rejectedBy, Instant rejectedAt, String rejectReason, String canceledBy,
                        Instant canceledAt, Instant expiredAt, String redrivenBy, Instant redrivenAt, int attempt,
                        int claims, String claimedBy, Instant leaseUntil, Instant startedAt, Instant finishedAt,
                        String lastError, String idempotencyKey) {
}
