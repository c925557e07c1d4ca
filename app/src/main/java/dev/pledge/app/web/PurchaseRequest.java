package dev.pledge.app.web;

import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.ValidationException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/purchases}. Missing required values are reported here with the
 * field's full name; everything else (account exists, enabled, of the type's cloud; known type;
 * quantity; term; payment; strings) is checked by the execution service, which names the field the
 * same way.
 */
record PurchaseRequest(String description, Instant notBefore, List<Item> items) {
    static final int MAX_ITEMS = 200;
    static final Duration MAX_REVIEW_WINDOW = Duration.ofDays(366);
    static final Duration MAX_PAST = Duration.ofDays(1);

    record Item(String type, UUID account, String region, String offering, Integer quantity, String term,
                String payment, Map<String, String> attributes) {
    }

    List<NewItem> toNewItems(Instant now) {
        Text.printable("description", description);
        if (notBefore != null && notBefore.isAfter(now.plus(MAX_REVIEW_WINDOW))) {
            throw new ValidationException("notBefore", "must be within " + MAX_REVIEW_WINDOW.toDays()
                    + " days from now, was " + notBefore);
        }
        // A review window that ended long ago is a mistake, and instants far in the past do not even fit
        // PostgreSQL's timestamp range: refuse rather than store something else than was sent.
        if (notBefore != null && notBefore.isBefore(now.minus(MAX_PAST))) {
            throw new ValidationException("notBefore", "must not be more than " + MAX_PAST.toDays()
                    + " day in the past (leave it out to start right after approval), was " + notBefore);
        }
        if (items == null || items.isEmpty()) {
            throw new ValidationException("items", "at least one item is required");
        }
        if (items.size() > MAX_ITEMS) {
            throw new ValidationException("items", "at most " + MAX_ITEMS + " items per purchase, got "
                    + items.size() + "; split it into several purchases");
        }
        List<NewItem> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String p = "items[" + i + "]";
            if (item == null) {
                throw new ValidationException(p, "must be an object, not null");
            }
            required(p + ".type", item.type());
            if (item.account() == null) {
                throw new ValidationException(p + ".account", "is required: the id of an account from "
                        + "GET /api/v1/accounts");
            }
            required(p + ".region", item.region());
            required(p + ".offering", item.offering());
            if (item.quantity() == null) {
                throw new ValidationException(p + ".quantity", "is required: a whole number greater than 0");
            }
            required(p + ".term", item.term());
            if (item.attributes() != null && item.attributes().containsValue(null)) {
                throw new ValidationException(p + ".attributes", "values must be strings, not null");
            }
            out.add(new NewItem(item.account(), item.type(), item.region(), item.offering(), item.quantity(),
                    item.term(), item.payment(), item.attributes()));
        }
        return out;
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, "is required");
        }
    }
}
