package dev.pledge.azure;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;

/**
 * An order alias as ARM returns it (reservation or savings plan).
 *
 * @param resourceId        the alias's ARM id
 * @param provisioningState ARM's state word (Created, PendingBilling, Succeeded, Failed, ...)
 * @param orderId           the reservation order or savings plan order the alias created, when known
 * @param json              the whole resource, for type-specific checks
 */
record AliasOrder(String resourceId, String provisioningState, String orderId, JsonNode json) {
    private static final Set<String> IN_PROGRESS = Set.of("created", "creating", "pending", "pendingbilling",
            "confirmedbilling", "pendingresourcehold", "confirmedresourcehold", "accepted", "running", "updating");
    private static final Set<String> ENDED_WITHOUT_ORDER = Set.of("failed", "cancelled", "canceled", "expired",
            "billingfailed");

    static AliasOrder parse(JsonNode alias, String orderIdField, String fallbackId) {
        JsonNode props = alias.path("properties");
        return new AliasOrder(alias.path("id").asText(fallbackId), props.path("provisioningState").asText(""),
                props.path(orderIdField).asText(""), alias);
    }

    /** Succeeded or still in progress: the alias holds (or will hold) a purchase. */
    boolean owned() {
        String s = state();
        return s.equals("succeeded") || IN_PROGRESS.contains(s);
    }

    boolean succeeded() {
        return state().equals("succeeded");
    }

    /** Held, but not final yet: a confirming outcome that {@code confirm} follows. */
    boolean inProgress() {
        return IN_PROGRESS.contains(state());
    }

    /** The order's error as ARM reports it on a failed alias or order, or empty. */
    String error() {
        JsonNode e = json.path("properties").path("error");
        if (e.isMissingNode() || e.isNull()) {
            e = json.path("error");
        }
        if (e.isMissingNode() || e.isNull()) {
            return "";
        }
        return e.path("code").asText("") + (e.has("message") ? ": " + e.path("message").asText() : "");
    }

    boolean endedWithoutOrder() {
        return ENDED_WITHOUT_ORDER.contains(state());
    }

    /** What a caller reports as the commitment: the order id, or the alias id until the order has one. */
    String commitmentId() {
        return orderId.isBlank() ? resourceId : orderId;
    }

    String skuName() {
        return json.path("sku").path("name").asText("");
    }

    JsonNode properties() {
        return json.path("properties");
    }

    private String state() {
        return provisioningState.toLowerCase(Locale.ROOT);
    }
}
