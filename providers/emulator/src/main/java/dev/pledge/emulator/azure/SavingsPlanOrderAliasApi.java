package dev.pledge.emulator.azure;

import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Azure savings plans bought through {@code PUT /providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/{alias}};
 * bought plans listed by {@code GET /providers/Microsoft.BillingBenefits/savingsPlans}.
 */
public final class SavingsPlanOrderAliasApi extends OrderAliasApi {

    public SavingsPlanOrderAliasApi() {
        super(AzureCatalog.SAVINGS_PLAN, "savingsPlanOrderAliases", "savingsplan_",
                "/providers/Microsoft.BillingBenefits/savingsPlans", "SavingsPlanOrderAlias");
    }

    @Override
    public List<Offering> seedOfferings() {
        return AzureCatalog.savingsPlans();
    }

    @Override
    String orderType() {
        return "Microsoft.BillingBenefits/savingsPlanOrders";
    }

    @Override
    int acceptedStatus() {
        return 202;
    }

    @Override
    String newOrderId() {
        return "/providers/Microsoft.BillingBenefits/savingsPlanOrders/" + UUID.randomUUID();
    }

    @Override
    PurchaseSpec parse(String alias, Map<String, Object> body) {
        Map<String, Object> sku = object(body, "sku", "sku");
        Map<String, Object> props = object(body, "properties", "properties");
        Map<String, String> attributes = new LinkedHashMap<>();
        common(props, attributes, alias);
        Map<String, Object> commitment = object(props, "commitment", "properties.commitment");
        String grain = text(commitment, "grain", "properties.commitment.grain");
        if (!grain.equals("Hourly")) {
            throw new BadRequest("InvalidCommitment", "'properties.commitment.grain' must be Hourly, was '" + grain + "'");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(text(commitment, "amount", "properties.commitment.amount"));
        } catch (NumberFormatException e) {
            throw new BadRequest("InvalidCommitment", "'properties.commitment.amount' is not a number");
        }
        if (amount.signum() <= 0) {
            throw new BadRequest("InvalidCommitment", "'properties.commitment.amount' must be greater than 0");
        }
        attributes.put("amount", amount.toPlainString());
        attributes.put("currencyCode", text(commitment, "currencyCode", "properties.commitment.currencyCode"));
        return new PurchaseSpec(text(props, "billingScopeId", "properties.billingScopeId"), AzureCatalog.GLOBAL,
                text(sku, "name", "sku.name"), term(attributes.get("term"), "properties.term"),
                payment(attributes.get("billingPlan")), 1, attributes);
    }

    private static Map<String, Object> commitment(Commitment c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grain", "Hourly");
        m.put("currencyCode", c.attribute("currencyCode"));
        m.put("amount", new BigDecimal(c.attribute("amount")));
        return m;
    }

    @Override
    Map<String, Object> aliasBody(Commitment c, String provisioningState) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", aliasResourceId("savingsPlanOrderAliases", c.key()));
        body.put("name", c.key());
        body.put("type", "Microsoft.BillingBenefits/savingsPlanOrderAliases");
        body.put("sku", Map.of("name", c.offering().product()));
        Map<String, Object> props = new LinkedHashMap<>();
        commonProperties(c, props);
        props.put("savingsPlanOrderId", c.id());
        props.put("provisioningState", provisioningState);
        props.put("commitment", commitment(c));
        body.put("properties", props);
        return body;
    }

    @Override
    Map<String, Object> listed(Commitment c) {
        Map<String, Object> r = new LinkedHashMap<>();
        String planId = UUID.nameUUIDFromBytes(c.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        r.put("id", c.id() + "/savingsPlans/" + planId);
        r.put("name", planId);
        r.put("type", "Microsoft.BillingBenefits/savingsPlanOrders/savingsPlans");
        r.put("sku", Map.of("name", c.offering().product()));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("displayName", c.attribute("displayName"));
        props.put("billingScopeId", c.account());
        props.put("term", c.attribute("term"));
        props.put("appliedScopeType", c.attribute("appliedScopeType"));
        props.put("commitment", commitment(c));
        props.put("purchaseDateTime", c.createdAt().toString());
        props.put("provisioningState", c.state());
        r.put("properties", props);
        return r;
    }
}
