package dev.pledge.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.common.insight.HeldCommitment;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.InventorySource;
import dev.pledge.common.insight.Money;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Azure commitments an account (billing scope) holds: the orders list ({@code GET /providers/Microsoft.Capacity/
 * reservationOrders} or {@code /providers/Microsoft.BillingBenefits/savingsPlanOrders}), which carries the term,
 * billing plan, expiry and state of each order, joined by order id with the list of the orders' reservations or
 * savings plans ({@code GET /providers/Microsoft.Capacity/reservations}, {@code .../savingsPlans}), which carries
 * the SKU, location, quantity or hourly commitment and billing scope. Two lists, every page of each, whatever the
 * number of orders (an order's own list would cost one call per order). Both lists are tenant-wide: only the
 * items billed to the queried scope are kept. One held commitment per order, its id the order id as the purchase
 * side records it.
 */
final class AzureInventory implements InventorySource {
    static final String RESERVATION_ORDERS = "/providers/Microsoft.Capacity/reservationOrders";
    static final String RESERVATIONS = "/providers/Microsoft.Capacity/reservations";
    static final String SAVINGS_PLAN_ORDERS = "/providers/Microsoft.BillingBenefits/savingsPlanOrders";
    static final String SAVINGS_PLANS = "/providers/Microsoft.BillingBenefits/savingsPlans";
    /** Provisioning states in which an order does not count (any more, or ever). */
    private static final Set<String> ENDED = Set.of("expired", "failed", "cancelled", "canceled", "cancelpending",
            "merged", "split", "nobenefit", "warning");

    private final ArmConnections connections;
    private final CommitmentType type;
    private final String ordersPath;
    private final String itemsPath;
    private final String itemsCollection;

    private AzureInventory(ArmConnections connections, CommitmentType type, String ordersPath, String itemsPath,
                           String itemsCollection) {
        this.connections = connections;
        this.type = type;
        this.ordersPath = ordersPath;
        this.itemsPath = itemsPath;
        this.itemsCollection = itemsCollection;
    }

    static AzureInventory reservations(ArmConnections connections) {
        return new AzureInventory(connections, CommitmentType.AZURE_RESERVATION, RESERVATION_ORDERS, RESERVATIONS,
                "/reservations/");
    }

    static AzureInventory savingsPlans(ArmConnections connections) {
        return new AzureInventory(connections, CommitmentType.AZURE_SAVINGS_PLAN, SAVINGS_PLAN_ORDERS, SAVINGS_PLANS,
                "/savingsPlans/");
    }

    @Override
    public CommitmentType type() {
        return type;
    }

    @Override
    public List<HeldCommitment> list(InsightQuery query) {
        String scope = ArmInsightReads.scope(query.account());
        ArmClient arm = connections.forAccount(query.account());
        String version = "?api-version=" + ArmClient.API_VERSION;
        // the two lists at once, within the refresh's limit
        List<List<JsonNode>> both = query.calls().each(List.of(ordersPath, itemsPath), path -> List.of(
                ArmInsightReads.list(arm, type.slug() + (path.equals(ordersPath) ? " orders" : " items") + " of "
                        + scope, path + version)));
        List<JsonNode> orders = both.get(0);
        List<JsonNode> items = both.get(1);
        Map<String, List<JsonNode>> byOrder = new HashMap<>();
        for (JsonNode item : items) {
            String id = item.path("id").asText("");
            int at = id.toLowerCase(Locale.ROOT).indexOf(itemsCollection.toLowerCase(Locale.ROOT));
            if (at > 0) {
                byOrder.computeIfAbsent(id.substring(0, at).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(item);
            }
        }
        List<HeldCommitment> out = new ArrayList<>();
        for (JsonNode order : orders) {
            String orderId = order.path("id").asText("");
            List<JsonNode> mine = byOrder.getOrDefault(orderId.toLowerCase(Locale.ROOT), List.of()).stream()
                    .filter(i -> scope.equalsIgnoreCase(billingScope(order, i))).toList();
            if (mine.isEmpty()) {
                continue; // another scope's order, or one whose items are not listed (yet)
            }
            out.add(held(query.account(), order, mine));
        }
        return out;
    }

    private static String billingScope(JsonNode order, JsonNode item) {
        String s = ArmInsightReads.text(item.path("properties"), "billingScopeId");
        return s != null ? s : ArmInsightReads.text(order.path("properties"), "billingScopeId");
    }

    private HeldCommitment held(String account, JsonNode order, List<JsonNode> items) {
        JsonNode op = order.path("properties");
        JsonNode first = items.get(0);
        JsonNode ip = first.path("properties");
        String orderId = order.path("id").asText();
        String sku = first.path("sku").path("name").asText(order.path("sku").path("name").asText(""));
        String region = type == CommitmentType.AZURE_SAVINGS_PLAN ? "global"
                : first.path("location").asText(op.path("location").asText("global")).replace(" ", "")
                .toLowerCase(Locale.ROOT);
        int quantity = 0;
        BigDecimal hourly = null;
        String currency = null;
        for (JsonNode i : items) {
            JsonNode p = i.path("properties");
            quantity += p.path("quantity").asInt(type == CommitmentType.AZURE_SAVINGS_PLAN ? 1 : 0);
            BigDecimal amount = ArmInsightReads.decimal(p.path("commitment").path("amount"));
            if (amount != null) {
                hourly = hourly == null ? amount : hourly.add(amount);
                currency = p.path("commitment").path("currencyCode").asText("USD");
            }
        }
        if (quantity == 0) {
            quantity = op.path("originalQuantity").asInt(1);
        }
        String state = firstText(op, "provisioningState", ip, "provisioningState");
        String display = firstText(ip, "displayProvisioningState", op, "displayProvisioningState");
        Instant start = firstInstant(op, "benefitStartTime", ip, "effectiveDateTime", ip, "purchaseDateTime",
                op, "createdDateTime");
        Instant end = firstInstant(op, "expiryDateTime", ip, "expiryDateTime", op, "expiryDate", ip, "expiryDate");
        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "displayName", firstText(op, "displayName", ip, "displayName"));
        put(attributes, "appliedScopeType", ArmInsightReads.text(ip, "appliedScopeType"));
        put(attributes, "reservedResourceType", ArmInsightReads.text(ip, "reservedResourceType"));
        put(attributes, "displayProvisioningState", display);
        put(attributes, "items", String.valueOf(items.size()));
        put(attributes, "itemId", first.path("id").asText(null));
        JsonNode renewNode = ip.has("renew") ? ip.path("renew") : op.path("renew");
        Boolean renew = renewNode.isBoolean() ? renewNode.booleanValue() : null;
        String name = attributes.get("displayName");
        String key = name != null && name.startsWith(OrderAliasExecutor.ALIAS_PREFIX) ? name : null;
        return new HeldCommitment(type, account, region, orderId, key, sku, null, quantity, hourly,
                term(firstText(op, "term", ip, "term")), payment(firstText(op, "billingPlan", ip, "billingPlan")),
                start, end, state == null ? "" : state, active(state, end), null,
                hourly == null ? null : new Money(hourly, currency), renew, attributes);
    }

    static boolean active(String state, Instant end) {
        if (end != null && !end.isAfter(Instant.now())) {
            return false;
        }
        return state == null || !ENDED.contains(state.toLowerCase(Locale.ROOT));
    }

    static Term term(String iso) {
        if (iso == null) {
            return null;
        }
        for (Term t : Term.values()) {
            if (t.iso().equalsIgnoreCase(iso.trim())) {
                return t;
            }
        }
        return null;
    }

    /** {@code P1M} / {@code Monthly} is monthly; {@code Upfront} or none is paid upfront. */
    static PaymentOption payment(String billingPlan) {
        if (billingPlan == null || billingPlan.isBlank() || billingPlan.equalsIgnoreCase("Upfront")) {
            return PaymentOption.UPFRONT;
        }
        return billingPlan.equalsIgnoreCase("P1M") || billingPlan.equalsIgnoreCase("Monthly") ? PaymentOption.MONTHLY
                : null;
    }

    private static String firstText(JsonNode a, String fa, JsonNode b, String fb) {
        String v = ArmInsightReads.text(a, fa);
        return v != null ? v : ArmInsightReads.text(b, fb);
    }

    private static Instant firstInstant(Object... nodesAndFields) {
        for (int i = 0; i < nodesAndFields.length; i += 2) {
            Instant t = ArmInsightReads.instant(((JsonNode) nodesAndFields[i]).path((String) nodesAndFields[i + 1]));
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }
}
