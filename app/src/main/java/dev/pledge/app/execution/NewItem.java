package dev.pledge.app.execution;

import dev.pledge.common.model.CommitmentRequest;

import java.util.Map;
import java.util.UUID;

/**
 * One line item to buy, as an API receives it: the account by its Pledge id and the commitment
 * in the CLI/API vocabulary (type slug, term {@code 1y}, payment {@code no-upfront}, ...).
 * The service checks it and names the failing field as {@code items[<i>].<field>}.
 */
public record NewItem(UUID accountId, String type, String region, String offering, int quantity, String term,
                      String payment, Map<String, String> attributes) {

    public NewItem {
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** The item for an already built request; its {@code account} must be the account's external id. */
    public static NewItem of(UUID accountId, CommitmentRequest r) {
        return new NewItem(accountId, r.type().slug(), r.region(), r.offering(), r.quantity(), r.term().slug(),
                r.payment() == null ? null : r.payment().slug(), r.attributes());
    }
}
