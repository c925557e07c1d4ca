package dev.pledge.app.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A purchase request to create.
 *
 * @param createdBy      who asks (an API key id)
 * @param notBefore      optional review window: once approved it waits until then and can still be canceled
 * @param idempotencyKey optional client key (the API's {@code Idempotency-Key}); with it, {@code requestHash}
 *                       is required: the same key and hash return the same execution, another hash is refused
 */
public record NewExecution(String createdBy, String description, Instant notBefore, List<NewItem> items,
                           String idempotencyKey, String requestHash) {

    public NewExecution {
        // nulls are kept so the service can name the position: items[i] is required
        items = items == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(items));
    }

    public static NewExecution of(String createdBy, String description, List<NewItem> items) {
        return new NewExecution(createdBy, description, null, items, null, null);
    }
}
