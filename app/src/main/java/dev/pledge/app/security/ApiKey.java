package dev.pledge.app.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An API key as stored: never the key itself, only its masked prefix.
 *
 * @param owner      the person the key belongs to (an email or SSO subject); four-eyes compares owners
 * @param prefix     the first characters of the key ({@link dev.pledge.common.logging.Masking}), to recognise it
 * @param createdBy  the actor that created it, or {@code system:bootstrap}
 * @param lastUsedAt when it last authenticated a request (updated at most once per
 *                   {@code pledge.api.last-used-resolution}), or null if never
 */
public record ApiKey(UUID id, String name, String owner, String prefix, Set<Role> roles, String createdBy, Instant createdAt,
                     Instant lastUsedAt, String revokedBy, Instant revokedAt) {

    public ApiKey {
        roles = Set.copyOf(roles);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** How the key appears as an actor in executions and the audit trail. */
    public String actor() {
        return ApiPrincipal.actorOf(id);
    }
}
