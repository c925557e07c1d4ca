package dev.pledge.common.spi;

import java.time.Instant;

/**
 * A commitment found in the cloud by a lookup (the one-off mode's duplicate check).
 *
 * @param commitmentId the cloud's identifier
 * @param key          our caller-chosen key or tag value when it has one, else null
 * @param offering     offering / SKU as the request names it
 * @param quantity     how many
 * @param purchasedAt  when it was bought (start time where the cloud reports no purchase time)
 * @param state        the cloud's state word (active, payment-pending, Succeeded, ...)
 */
public record ExistingCommitment(String commitmentId, String key, String offering, int quantity,
                                 Instant purchasedAt, String state) {
}
