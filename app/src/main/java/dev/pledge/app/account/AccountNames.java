package dev.pledge.app.account;

import dev.pledge.common.model.ValidationException;

final class AccountNames {
    private AccountNames() {
    }

    static String check(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("name", "is required");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("name", "must be at most 200 characters with no control characters");
        }
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 200) {
            throw new ValidationException("name", "must be at most 200 characters with no control characters");
        }
        return trimmed;
    }
}
