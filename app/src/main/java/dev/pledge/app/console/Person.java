package dev.pledge.app.console;

import dev.pledge.app.security.Actor;
import dev.pledge.app.security.Role;

import java.io.Serializable;
import java.util.Set;

/**
 * The person signed in to the console. {@code id} is who they are (the identity provider's identity
 * claim, or for the demo API-key sign-in the key's owner); it is also the actor the console records
 * for everything they do, so four-eyes compares people (a key's actor maps to its owner).
 *
 * @param via how they signed in: {@code sso} or {@code api-key}
 */
public record Person(String id, Set<Role> roles, String via) implements Serializable, Actor {
    public Person {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAnyRole() {
        return !roles.isEmpty();
    }

    public boolean requester() {
        return has(Role.REQUESTER);
    }

    public boolean approver() {
        return has(Role.APPROVER);
    }

    public boolean admin() {
        return has(Role.ADMIN);
    }

    /** The roles in a stable order, for the page header. */
    public String roleNames() {
        return roles.isEmpty() ? "no role" : String.join(", ", roles.stream().sorted().map(Enum::name).toList());
    }

    /** What the services record as the actor: the person, whom four-eyes compares with key owners. */
    @Override
    public String actor() {
        return id;
    }

    @Override
    public String owner() {
        return id;
    }

    @Override
    public String describe() {
        return id + " (console, " + via + ")";
    }
}
