package dev.pledge.app.execution;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.OutcomeKind;

import java.time.Instant;
import java.util.UUID;

/**
 * One line item, its request and its latest outcome.
 *
 * @param outcome       how it came to be owned (BOUGHT, ALREADY_OWNED, RECOVERED), when it is
 * @param commitmentId  the cloud's id of the commitment, when owned
 * @param commitmentKey the key derived from the item token that was sent (reservation id, alias, ...)
 * @param failureKind   why the last attempt failed, when it did
 */
public record ExecutionItem(int position, UUID accountId, CommitmentRequest request, ItemStatus status,
                            OutcomeKind outcome, String commitmentId, String commitmentKey, FailureKind failureKind,
                            String error, int attempts, Instant attemptStartedAt, Instant attemptFinishedAt) {
}
