package dev.pledge.app.audit;

import dev.pledge.common.logging.Masking;

import java.util.Objects;
import java.util.UUID;

/** What to append to the audit trail; the token is masked here, so a whole token never reaches the table. */
public record AuditEntry(String actor, String action, UUID executionId, Integer itemPosition, String fromStatus,
                         String toStatus, String tokenMasked, String detail) {

    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
    }

    public static AuditEntry transition(String actor, String action, UUID executionId, String token,
                                        Object from, Object to, String detail) {
        return new AuditEntry(actor, action, executionId, null, from == null ? null : from.toString(),
                to == null ? null : to.toString(), Masking.mask(token), detail);
    }

    public static AuditEntry item(String actor, String action, UUID executionId, int position, String token,
                                  Object from, Object to, String detail) {
        return new AuditEntry(actor, action, executionId, position, from == null ? null : from.toString(),
                to == null ? null : to.toString(), Masking.mask(token), detail);
    }
}
