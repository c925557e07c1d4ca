package dev.pledge.app.inventory;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/**
 * The commitments the accounts hold, from each source's current inventory generation, linked to the Pledge
 * purchase and item that bought one (by recorded commitment id or key).
 */
@RestController
@Tag(name = "Commitments", description = "What the accounts hold and when it expires")
@RequestMapping("/api/v1/commitments")
class CommitmentController {
    private final CommitmentStore store;

    CommitmentController(CommitmentStore store) {
        this.store = store;
    }

    @GetMapping
    @Operation(summary = "Commitments held, soonest expiry first (any role); filters: cloud, type, account, "
            + "expiringWithinDays, ours, active")
    Map<String, Object> list(@RequestParam(required = false) String cloud, @RequestParam(required = false) String type,
                             @RequestParam(required = false) String account,
                             @RequestParam(required = false) Integer expiringWithinDays,
                             @RequestParam(required = false) Boolean ours,
                             @RequestParam(required = false) Boolean active) {
        UUID accountId = null;
        if (account != null) {
            try {
                accountId = UUID.fromString(account.trim());
            } catch (IllegalArgumentException e) {
                throw new ValidationException("account", "must be an account id (a UUID), was '" + account + "'");
            }
        }
        if (expiringWithinDays != null && (expiringWithinDays < 0 || expiringWithinDays > 3650)) {
            throw new ValidationException("expiringWithinDays", "must be 0-3650, was " + expiringWithinDays);
        }
        return Map.of("commitments", store.list(new CommitmentStore.Filter(
                cloud == null ? null : Cloud.fromSlug("cloud", cloud).slug(),
                type == null ? null : CommitmentType.fromSlug("type", type).slug(),
                accountId, expiringWithinDays, ours, active)));
    }

    @GetMapping("/summary")
    @Operation(summary = "Active commitments per cloud and type: count, units, monthly recurring and upfront spend "
            + "per currency, and how many expire within 30, 60 and 90 days (any role)")
    Map<String, Object> summary() {
        return Map.of("summary", store.summary());
    }
}
