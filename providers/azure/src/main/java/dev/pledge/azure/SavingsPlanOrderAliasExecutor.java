package dev.pledge.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.ProviderSettings;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Azure savings plans through {@code PUT /providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/{alias}}.
 * account = billing scope, offering = SKU ({@code Compute_Savings_Plan}), quantity = 1; attributes
 * {@code hourlyCommitment} (required) and {@code currency} (default USD). The region is not sent:
 * savings plans are not regional.
 */
final class SavingsPlanOrderAliasExecutor extends OrderAliasExecutor {
    static final String COMPUTE_SAVINGS_PLAN = "Compute_Savings_Plan";
    private static final List<String> OWN_ATTRIBUTES = List.of("hourlyCommitment", "currency");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final BigDecimal MAX_HOURLY = new BigDecimal("1000000");

    SavingsPlanOrderAliasExecutor(ArmConnections connections, ProviderSettings settings) {
        super(connections, settings);
    }

    @Override
    public CommitmentType type() {
        return CommitmentType.AZURE_SAVINGS_PLAN;
    }

    @Override
    String aliasCollection() {
        return "/providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/";
    }

    @Override
    String orderIdField() {
        return "savingsPlanOrderId";
    }

    @Override
    String purchasesListPath() {
        return "/providers/Microsoft.BillingBenefits/savingsPlans?api-version=" + ArmClient.API_VERSION;
    }

    @Override
    ObjectNode body(CommitmentRequest request, String alias) {
        AliasAttributes.refuseUnknown(request, OWN_ATTRIBUTES);
        if (!request.offering().equalsIgnoreCase(COMPUTE_SAVINGS_PLAN)) {
            throw new ValidationException("offering", "'" + request.offering() + "' is not a savings plan SKU; allowed: "
                    + COMPUTE_SAVINGS_PLAN);
        }
        if (request.quantity() != 1) {
            throw new ValidationException("quantity", "must be 1 for " + type().slug()
                    + ": a savings plan is bought by amount (attributes.hourlyCommitment)");
        }
        BigDecimal hourly = hourlyCommitment(request);
        String currency = currency(request);
        ObjectNode body = ArmClient.JSON.createObjectNode();
        body.putObject("sku").put("name", COMPUTE_SAVINGS_PLAN);
        ObjectNode p = body.putObject("properties");
        p.put("displayName", AliasAttributes.displayName(request, alias));
        p.put("billingScopeId", AliasAttributes.billingScopeId(request));
        p.put("term", request.term().iso());
        if (request.payment() == PaymentOption.MONTHLY) {
            p.put("billingPlan", "P1M");
        }
        AliasAttributes.appliedScope(request, p);
        p.put("renew", AliasAttributes.renew(request));
        ObjectNode commitment = p.putObject("commitment");
        commitment.put("grain", "Hourly");
        commitment.put("currencyCode", currency);
        commitment.put("amount", hourly);
        return body;
    }

    /**
     * A savings plan costs what it commits: the hourly amount, paid per hour (monthly billing) or for the
     * whole term up front (8760 hours a year). No cloud call is needed.
     */
    @Override
    public Optional<PriceQuote> quote(CommitmentRequest request) {
        validate(request);
        BigDecimal hourly = hourlyCommitment(request);
        if (request.payment() == PaymentOption.MONTHLY) {
            return Optional.of(new PriceQuote(currency(request), BigDecimal.ZERO, hourly, "hour", COMPUTE_SAVINGS_PLAN));
        }
        BigDecimal upfront = hourly.multiply(BigDecimal.valueOf(8760L * request.term().years()));
        return Optional.of(new PriceQuote(currency(request), upfront, BigDecimal.ZERO, "hour", COMPUTE_SAVINGS_PLAN));
    }

    static BigDecimal hourlyCommitment(CommitmentRequest request) {
        String raw = request.requireAttribute("hourlyCommitment", "the amount committed per hour, e.g. 2.5");
        BigDecimal amount;
        try {
            amount = new BigDecimal(raw.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException("attributes.hourlyCommitment", "'" + raw + "' is not a number");
        }
        if (amount.signum() <= 0 || amount.compareTo(MAX_HOURLY) > 0 || amount.scale() > 3) {
            throw new ValidationException("attributes.hourlyCommitment",
                    "must be greater than 0 and at most 1000000, with at most 3 decimals; was " + raw);
        }
        return amount;
    }

    static String currency(CommitmentRequest request) {
        String c = request.attribute("currency");
        if (c == null) {
            return "USD";
        }
        if (!CURRENCY.matcher(c).matches()) {
            throw new ValidationException("attributes.currency", "must be an ISO 4217 code such as USD or EUR, was '"
                    + c + "'");
        }
        return c;
    }

    @Override
    String mismatch(CommitmentRequest request, AliasOrder order) {
        JsonNode p = order.properties();
        if (!order.skuName().isEmpty() && !order.skuName().equalsIgnoreCase(request.offering())) {
            return "its SKU is " + order.skuName() + ", not " + request.offering();
        }
        if (p.has("term") && !p.path("term").asText().equalsIgnoreCase(request.term().iso())) {
            return "its term is " + p.path("term").asText() + ", not " + request.term().iso();
        }
        JsonNode commitment = p.path("commitment");
        if (commitment.has("amount")
                && commitment.path("amount").decimalValue().compareTo(hourlyCommitment(request)) != 0) {
            return "its hourly commitment is " + commitment.path("amount").asText() + ", not "
                    + request.attribute("hourlyCommitment");
        }
        if (commitment.has("currencyCode") && !commitment.path("currencyCode").asText().equals(currency(request))) {
            return "its currency is " + commitment.path("currencyCode").asText() + ", not " + currency(request);
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
                || !p.path("billingScopeId").asText("").equalsIgnoreCase(AliasAttributes.billingScopeId(request))) {
            return null;
        }
        String id = item.path("id").asText("");
        return new ExistingCommitment(orderOf(id, "/savingsPlans/"), null, item.path("sku").path("name").asText(), 1,
                instant(p.get("purchaseDateTime")), p.path("provisioningState").asText(""));
    }
}
