package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A commitment the emulated cloud holds.
 *
 * @param cloud      the cloud
 * @param type       commitment type slug
 * @param account    account / subscription / project that bought it
 * @param region     region or location
 * @param id         the cloud's id for it
 * @param key        the caller-chosen key it was bought under (reservation id, name, client token), or null
 * @param offering   what was bought
 * @param quantity   how many
 * @param tags       tags, in insertion order
 * @param createdAt  when it was bought (also its start time)
 * @param state      the cloud's state word ({@code active}, {@code payment-pending}, ...)
 * @param attributes plug-in specific values (e.g. a Savings Plan's hourly commitment)
 */
public record Commitment(Cloud cloud, String type, String account, String region, String id, String key,
                         Offering offering, int quantity, Map<String, String> tags, Instant createdAt, String state,
                         Map<String, String> attributes) {

    public Commitment {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(offering, "offering");
        Objects.requireNonNull(createdAt, "createdAt");
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        state = state == null ? "active" : state;
    }

    /** The same commitment with more tags (existing keys are overwritten). */
    public Commitment withTags(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(tags);
        merged.putAll(more);
        return new Commitment(cloud, type, account, region, id, key, offering, quantity, merged, createdAt, state,
                attributes);
    }

    public Commitment withState(String newState) {
        return new Commitment(cloud, type, account, region, id, key, offering, quantity, tags, createdAt, newState,
                attributes);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }
}
