package dev.pledge.app.console;

import dev.pledge.app.security.Role;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns an identity provider's claims into a {@link Person}: who (the identity claim) and which Pledge
 * roles (the groups claim through {@code pledge.console.oidc.role-groups}).
 */
final class PersonMapping {
    /** Actors Pledge writes itself; a person's identity may not look like one. */
    private static final List<String> RESERVED = List.of("key:", "system:", "worker:", "sweep:");
    static final int MAX_IDENTITY = 200;

    private final ConsoleProperties.Oidc oidc;

    PersonMapping(ConsoleProperties.Oidc oidc) {
        this.oidc = oidc;
    }

    /** The identity, or a sentence saying why these claims cannot name a person. */
    static Optional<String> problemWithIdentity(String claim, Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.of("the identity provider sent no '" + claim + "' claim (pledge.console.oidc."
                    + "identity-claim), so Pledge cannot tell who you are");
        }
        if (s.length() > MAX_IDENTITY || s.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("the '" + claim + "' claim must be at most " + MAX_IDENTITY
                    + " characters without control characters");
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (RESERVED.stream().anyMatch(lower::startsWith)) {
            return Optional.of("the '" + claim + "' claim '" + s + "' looks like an actor Pledge writes itself");
        }
        return Optional.empty();
    }

    Person person(Map<String, Object> claims) {
        Object identity = claims.get(oidc.identityClaim());
        problemWithIdentity(oidc.identityClaim(), identity).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return new Person(((String) identity).trim(), roles(claims.get(oidc.rolesClaim())), "sso");
    }

    /** A role is granted by a group mapped to it, or, for a role with no mapping, by a group of its name. */
    Set<Role> roles(Object groupsClaim) {
        List<String> groups = groups(groupsClaim);
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            List<String> mapped = oidc.roleGroups().get(role);
            boolean granted = mapped == null || mapped.isEmpty()
                    ? groups.stream().anyMatch(g -> g.equalsIgnoreCase(role.name()))
                    : groups.stream().anyMatch(mapped::contains);
            if (granted) {
                roles.add(role);
            }
        }
        return roles;
    }

    /** A list claim, or one string with groups separated by spaces or commas (as some providers send). */
    private static List<String> groups(Object claim) {
        if (claim instanceof Collection<?> c) {
            return c.stream().filter(String.class::isInstance).map(String.class::cast).map(String::trim).toList();
        }
        if (claim instanceof String s) {
            return Stream.of(s.split("[,\\s]+")).filter(g -> !g.isEmpty()).toList();
        }
        return List.of();
    }
}
