package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.audit.AuditEvent;

import java.time.Instant;

/** One audit trail entry: who did what, when, from which status to which; the token masked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EventView(long id, Instant at, String actor, String owner, String action, Integer item, String from, String to,
                 String token, String detail) {

    static EventView of(AuditEvent e) {
        return new EventView(e.id(), e.occurredAt(), e.actor(), e.actorOwner(), e.action(), e.itemPosition(), e.fromStatus(),
                e.toStatus(), e.tokenMasked(), e.detail());
    }
}
