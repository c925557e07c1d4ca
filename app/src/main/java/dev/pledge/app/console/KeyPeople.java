package dev.pledge.app.console;

import dev.pledge.app.security.ApiKey;
import dev.pledge.app.security.ApiKeyService;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The person behind an API key or an actor. Today a key names no person, so its name stands for one;
 * once keys carry an owner (the security issue), the owner is the person and this is the one place
 * to change.
 */
@Component
class KeyPeople {
    private static final String KEY_ACTOR = "key:";
    private final ApiKeyService keys;

    KeyPeople(ApiKeyService keys) {
        this.keys = keys;
    }

    static String personOf(ApiKey key) {
        return key.name();
    }

    /** {@code key:<id>} becomes the key's person; a person signed in to the console is already one. */
    String personOfActor(String actor) {
        if (actor != null && actor.startsWith(KEY_ACTOR)) {
            try {
                return keys.find(UUID.fromString(actor.substring(KEY_ACTOR.length()))).map(KeyPeople::personOf)
                        .orElse(actor);
            } catch (IllegalArgumentException notAKeyId) {
                return actor;
            }
        }
        return actor;
    }
}
