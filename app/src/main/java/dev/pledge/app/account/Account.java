package dev.pledge.app.account;

import dev.pledge.common.model.Cloud;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cloud account Pledge may buy for. It carries no secret: only which credential fields are set
 * and their fingerprint; {@link AccountService#credentials} opens the sealed values for an executor.
 *
 * @param externalId  AWS account id, Azure billing scope / subscription, or GCP project: the
 *                    {@code account} of every {@link dev.pledge.common.model.CommitmentRequest} for it
 */
public record Account(UUID id, Cloud cloud, String externalId, String name, List<String> credentialFields,
                      String credentialsFingerprint, boolean enabled, Instant createdAt, Instant updatedAt) {
    public Account {
        credentialFields = List.copyOf(credentialFields);
    }
}
