package dev.pledge.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.ValidationException;
import com.azure.core.management.exception.ManagementException;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.ProviderSettings;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Azure reservations through {@code PUT /providers/Microsoft.BillingBenefits/reservationOrderAliases/{alias}}.
 * account = billing scope, region = location, offering = SKU, quantity = SKU count; attributes
 * {@code reservedResourceType} (default VirtualMachines), {@code instanceFlexibility}, and the
 * shared applied-scope, displayName and renew attributes (see README).
 */
final class ReservationOrderAliasExecutor extends OrderAliasExecutor {
    static final List<String> RESERVED_RESOURCE_TYPES = List.of("VirtualMachines", "SqlDatabases", "SuseLinux",
            "CosmosDb", "RedHat", "SqlDataWarehouse", "VMwareCloudSimple", "RedHatOsa", "Databricks", "AppService",
            "ManagedDisk", "BlockBlob", "RedisCache", "AzureDataExplorer", "MySql", "MariaDb", "PostgreSql",
            "DedicatedHost", "SapHana", "SqlAzureHybridBenefit", "AVS", "DataFactory", "NetAppStorage", "AzureFiles",
            "SqlEdge", "VirtualMachineSoftware");
    private static final List<String> OWN_ATTRIBUTES = List.of("reservedResourceType", "instanceFlexibility");

    private final ArmConnections connections;

    ReservationOrderAliasExecutor(ArmConnections connections, ProviderSettings settings) {
        super(connections, settings);
        this.connections = connections;
    }

    /**
     * The price from {@code POST /providers/Microsoft.Capacity/calculatePrice}: the billing-currency total
     * for an upfront purchase, or the first monthly instalment. Best effort, for dry runs: empty when the
     * lookup fails.
     */
    @Override
    public Optional<PriceQuote> quote(CommitmentRequest request) {
        validate(request);
        ObjectNode body = ArmClient.JSON.createObjectNode();
        body.putObject("sku").put("name", request.offering());
        body.put("location", request.region());
        ObjectNode p = body.putObject("properties");
        p.put("reservedResourceType", reservedResourceType(request));
        p.put("billingScopeId", AliasAttributes.billingScopeId(request));
        p.put("term", request.term().iso());
        p.put("billingPlan", request.payment() == PaymentOption.MONTHLY ? "Monthly" : "Upfront");
        p.put("quantity", request.quantity());
        p.put("displayName", "pledge-quote");
        AliasAttributes.appliedScope(request, p);
        JsonNode price;
        try {
            price = connections.forAccount(request.account())
                    .post("/providers/Microsoft.Capacity/calculatePrice?api-version=" + ArmClient.API_VERSION, body)
                    .body().path("properties");
        } catch (ManagementException | ArmTransportException e) {
            log.warn("azure-reservation: no price for {} x {} in {} ({})", request.quantity(), request.offering(),
                    request.region(), ArmClient.rootMessage(e));
            return Optional.empty();
        }
        JsonNode total = price.path("billingCurrencyTotal");
        if (request.payment() == PaymentOption.MONTHLY) {
            JsonNode instalment = price.path("paymentSchedule").path(0).path("billingCurrencyTotal");
            if (!instalment.has("amount")) {
                return Optional.empty();
            }
            return Optional.of(new PriceQuote(instalment.path("currencyCode").asText("USD"), BigDecimal.ZERO,
                    instalment.path("amount").decimalValue(), "month", null));
        }
        if (!total.has("amount")) {
            return Optional.empty();
        }
        return Optional.of(new PriceQuote(total.path("currencyCode").asText("USD"), total.path("amount").decimalValue(),
                BigDecimal.ZERO, "month", null));
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.AZURE_RESERVATION;
    }

    @Override
    String aliasCollection() {
        return "/providers/Microsoft.BillingBenefits/reservationOrderAliases/";
    }

    @Override
    String orderIdField() {
        return "reservationOrderId";
    }

    @Override
    String purchasesListPath() {
        return "/providers/Microsoft.Capacity/reservations?api-version=" + ArmClient.API_VERSION;
    }

    @Override
    ObjectNode body(CommitmentRequest request, String alias) {
        AliasAttributes.refuseUnknown(request, OWN_ATTRIBUTES);
        String resourceType = reservedResourceType(request);
        ObjectNode body = ArmClient.JSON.createObjectNode();
        body.putObject("sku").put("name", request.offering());
        body.put("location", request.region());
        ObjectNode p = body.putObject("properties");
        p.put("displayName", AliasAttributes.displayName(request, alias));
        p.put("billingScopeId", AliasAttributes.billingScopeId(request));
        p.put("term", request.term().iso());
        if (request.payment() == PaymentOption.MONTHLY) {
            p.put("billingPlan", "P1M");
        }
        AliasAttributes.appliedScope(request, p);
        p.put("quantity", request.quantity());
        p.put("renew", AliasAttributes.renew(request));
        p.put("reservedResourceType", resourceType);
        String flexibility = request.attribute("instanceFlexibility");
        if (flexibility != null) {
            if (!resourceType.equals("VirtualMachines")) {
                throw new ValidationException("attributes.instanceFlexibility",
                        "applies to reservedResourceType VirtualMachines only");
            }
            String canonical = switch (flexibility.toLowerCase(Locale.ROOT)) {
                case "on" -> "On";
                case "off" -> "Off";
                default -> throw new ValidationException("attributes.instanceFlexibility",
                        "must be On or Off, was '" + flexibility + "'");
            };
            p.putObject("reservedResourceProperties").put("instanceFlexibility", canonical);
        }
        return body;
    }

    static String reservedResourceType(CommitmentRequest request) {
        String given = request.attribute("reservedResourceType");
        if (given == null) {
            return "VirtualMachines";
        }
        return RESERVED_RESOURCE_TYPES.stream().filter(t -> t.equalsIgnoreCase(given.trim())).findFirst()
                .orElseThrow(() -> new ValidationException("attributes.reservedResourceType", "'" + given
                        + "' is not a reserved resource type; allowed: " + String.join(", ", RESERVED_RESOURCE_TYPES)));
    }

    @Override
    String mismatch(CommitmentRequest request, AliasOrder order) {
        JsonNode p = order.properties();
        if (!order.skuName().isEmpty() && !order.skuName().equalsIgnoreCase(request.offering())) {
            return "its SKU is " + order.skuName() + ", not " + request.offering();
        }
        if (p.has("quantity") && p.path("quantity").asInt() != request.quantity()) {
            return "its quantity is " + p.path("quantity").asInt() + ", not " + request.quantity();
        }
        if (p.has("term") && !p.path("term").asText().equalsIgnoreCase(request.term().iso())) {
            return "its term is " + p.path("term").asText() + ", not " + request.term().iso();
        }
        if (p.has("billingScopeId")
                && !p.path("billingScopeId").asText().equalsIgnoreCase(AliasAttributes.billingScopeId(request))) {
            return "it is billed to another scope";
        }
        return null;
    }

    @Override
    ExistingCommitment existing(CommitmentRequest request, JsonNode item) {
        JsonNode p = item.path("properties");
        if (!item.path("sku").path("name").asText("").equalsIgnoreCase(request.offering())
                || !normalizedLocation(item.path("location").asText("")).equals(normalizedLocation(request.region()))
                || !p.path("billingScopeId").asText("").equalsIgnoreCase(AliasAttributes.billingScopeId(request))) {
            return null;
        }
        String id = item.path("id").asText("");
        return new ExistingCommitment(orderOf(id, "/reservations/"), null, item.path("sku").path("name").asText(),
                p.path("quantity").asInt(1), instant(p.has("purchaseDateTime") ? p.get("purchaseDateTime")
                        : p.get("purchaseDate")), p.path("provisioningState").asText(""));
    }

    private static String normalizedLocation(String location) {
        return location.replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
