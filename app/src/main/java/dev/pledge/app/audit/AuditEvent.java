package dev.pledge.app.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the append-only audit trail.
 *
 * @param actor        who acted: an API key id, {@code worker:<id>} or {@code system:<sweep>}
 * @param actorOwner   the person behind the actor (the key's owner), filled in by the database
 * @param action       what happened, e.g. {@code APPROVE}, {@code CLAIM}, {@code ITEM_OUTCOME}
 * @param itemPosition the item concerned, or null for the whole execution
 * @param tokenMasked  the execution token, masked ({@link dev.pledge.common.logging.Masking})
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String actorOwner, String action, UUID executionId,
                         Integer itemPosition, String fromStatus, String toStatus, String tokenMasked,
                         String detail) {
}
