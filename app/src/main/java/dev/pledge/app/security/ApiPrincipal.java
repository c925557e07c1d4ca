package dev.pledge.app.security;

import java.util.Set;
import java.util.UUID;

/** The key a request authenticated with. Its {@link #actor()} is what executions and the audit trail record. */
public record ApiPrincipal(UUID keyId, String name, Set<Role> roles) {
    private static final String ACTOR_PREFIX = "key:";

    public ApiPrincipal {
        roles = Set.copyOf(roles);
    }

    public String actor() {
        return actorOf(keyId);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    static String actorOf(UUID keyId) {
        return ACTOR_PREFIX + keyId;
    }
}
