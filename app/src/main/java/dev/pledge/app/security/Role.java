package dev.pledge.app.security;

import dev.pledge.common.model.ValidationException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API key may do. Roles do not imply each other: a key holds every role it needs. Any role
 * may read; REQUESTER creates purchases, APPROVER approves, rejects and re-drives them, ADMIN
 * manages accounts and keys and may cancel anyone's purchase.
 */
public enum Role {
    VIEWER, REQUESTER, APPROVER, ADMIN;

    /** The Spring Security authority of the role. */
    public String authority() {
        return "ROLE_" + name();
    }

    public static Role parse(String field, String value) {
        if (value != null) {
            for (Role r : values()) {
                if (r.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw new ValidationException(field, "unknown role '" + value + "'; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
