package dev.pledge.app.account;

import dev.pledge.common.model.ValidationException;

final class AccountNames {
    private AccountNames() {
    }

    static String check(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("name", "is required");
        }
        String trimmed = name.trim();
        if (trimmed.length() > 200 || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("name", "must be at most 200 characters with no control characters");
        }
        return trimmed;
    }
}
