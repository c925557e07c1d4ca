package dev.pledge.app.inventory;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The commitments held as {@code GET /api/v1/commitments} lists them (soonest expiry first, each linked to the
 * Pledge purchase that bought it when known), for readers outside this package such as the console. The rows
 * have the API's fields; filters are checked as the API checks them, a bad one named in a ValidationException.
 */
@Service
public class HeldCommitments {
    private final CommitmentStore store;

    HeldCommitments(CommitmentStore store) {
        this.store = store;
    }

    public List<Map<String, Object>> list(String cloud, String type, UUID account, Integer expiringWithinDays) {
        if (expiringWithinDays != null && (expiringWithinDays < 0 || expiringWithinDays > 3650)) {
            throw new ValidationException("expiringWithinDays", "must be 0-3650, was " + expiringWithinDays);
        }
        return store.list(new CommitmentStore.Filter(
                cloud == null ? null : Cloud.fromSlug("cloud", cloud).slug(),
                type == null ? null : CommitmentType.fromSlug("type", type).slug(),
                account, expiringWithinDays, null, null));
    }
}
