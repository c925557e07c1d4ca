package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.security.ApiKey;
import dev.pledge.app.security.ApiKeyService;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The person behind each actor a view names: {@code key:<id>} becomes the key's owner and the key's name
 * (also for a revoked key: the history keeps its people); a signed-in person or a system actor
 * ({@code worker:...}, {@code sweep:...}) is itself, without a key.
 */
@Component
class ActorNames {
    private static final String KEY = "key:";
    private final ApiKeyService keys;

    ActorNames(ApiKeyService keys) {
        this.keys = keys;
    }

    /** The person behind an actor: {@code person} is who four-eyes compares, {@code key} the key's name, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Person(String person, String key) {
    }

    Map<String, Person> of(Collection<String> actors) {
        Map<String, Person> out = new LinkedHashMap<>();
        for (String actor : actors) {
            out.computeIfAbsent(actor, this::person);
        }
        return out;
    }

    PurchaseView named(PurchaseView view) {
        return view.withPeople(of(view.actors()));
    }

    PurchasePage named(PurchasePage page) {
        Map<String, Person> known = new LinkedHashMap<>();
        return new PurchasePage(page.purchases().stream().map(v -> {
            Map<String, Person> mine = new LinkedHashMap<>();
            for (String actor : v.actors()) {
                mine.put(actor, known.computeIfAbsent(actor, this::person));
            }
            return v.withPeople(mine);
        }).toList(), page.nextCursor());
    }

    private Person person(String actor) {
        return key(actor).map(k -> new Person(k.owner(), k.name())).orElseGet(() -> new Person(actor, null));
    }

    private Optional<ApiKey> key(String actor) {
        if (actor == null || !actor.startsWith(KEY)) {
            return Optional.empty();
        }
        try {
            return keys.find(UUID.fromString(actor.substring(KEY.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
