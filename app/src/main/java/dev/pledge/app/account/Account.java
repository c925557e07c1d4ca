package dev.pledge.app.account;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.AccountCredentials;

import java.time.Instant;
import java.util.UUID;

/**
 * A cloud account Pledge may buy for.
 *
 * @param externalId  AWS account id, Azure billing scope / subscription, or GCP project: the
 *                    {@code account} of every {@link dev.pledge.common.model.CommitmentRequest} for it
 * @param credentials how to act for it; prints masked
 */
public record Account(UUID id, Cloud cloud, String externalId, String name, AccountCredentials credentials,
                      boolean enabled, Instant createdAt, Instant updatedAt) {
}
