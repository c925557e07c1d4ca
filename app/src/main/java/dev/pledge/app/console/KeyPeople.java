package dev.pledge.app.console;

import dev.pledge.app.security.ApiKey;
import dev.pledge.app.security.ApiKeyService;
import org.springframework.stereotype.Component;


/** The person behind an API key or an actor: a key's owner; a person signed in to the console is one already. */
@Component
class KeyPeople {
    private static final String KEY_ACTOR = "key:";
    private final ApiKeyService keys;

    KeyPeople(ApiKeyService keys) {
        this.keys = keys;
    }

    static String personOf(ApiKey key) {
        return key.owner() == null || key.owner().isBlank() ? key.name() : key.owner();
    }

    /** {@code key:<id>} becomes the key's owner, as four-eyes in the service sees it; anything else is itself. */
    String personOfActor(String actor) {
        return actor != null && actor.startsWith(KEY_ACTOR) ? keys.ownerOf(actor) : actor;
    }
}
