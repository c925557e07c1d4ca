package dev.pledge.app.security;

import java.util.Set;
import java.util.UUID;

/**
 * The key a request authenticated with. Its {@link #actor()} is what executions and the audit trail
 * record; its {@code owner} is the person behind it, whom four-eyes compares.
 */
public record ApiPrincipal(UUID keyId, String name, String owner, Set<Role> roles) implements Actor {
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

    /** "owner (key 'name')": how a person and the key they used are named in messages. */
    public String describe() {
        return owner + " (key '" + name + "')";
    }

    static String actorOf(UUID keyId) {
        return ACTOR_PREFIX + keyId;
    }
}
