package dev.pledge.emulator.azure;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Offering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the emulated Azure sells out of the box: a few VM reservation SKUs and the compute savings plan. */
final class AzureCatalog {
    static final String RESERVATION = "azure-reservation";
    static final String SAVINGS_PLAN = "azure-savings-plan";
    static final String COMPUTE_SAVINGS_PLAN = "Compute_Savings_Plan";
    /** Savings plans are not regional; their offerings live in this pseudo-region. */
    static final String GLOBAL = "global";
    static final List<String> LOCATIONS = List.of("westeurope", "northeurope", "eastus", "westus2");
    /** SKU -> pay-as-you-go hourly price (USD) the reservation discounts. */
    private static final Map<String, String> VM_SKUS = Map.of(
            "Standard_D2s_v3", "0.096", "Standard_D4s_v3", "0.192", "Standard_E4s_v3", "0.252",
            "Standard_B2ms", "0.0832", "Standard_F4s_v2", "0.169");

    private AzureCatalog() {
    }

    static List<Offering> reservations() {
        List<Offering> out = new ArrayList<>();
        for (String location : LOCATIONS) {
            for (Map.Entry<String, String> sku : VM_SKUS.entrySet()) {
                for (String term : List.of("1y", "3y")) {
                    BigDecimal discount = new BigDecimal(term.equals("1y") ? "0.6" : "0.4");
                    BigDecimal hourly = new BigDecimal(sku.getValue()).multiply(discount).setScale(4, RoundingMode.HALF_UP);
                    for (String payment : List.of("upfront", "monthly")) {
                        BigDecimal upfront = payment.equals("upfront")
                                ? hourly.multiply(BigDecimal.valueOf(8760L * Integer.parseInt(term.substring(0, 1))))
                                .setScale(2, RoundingMode.HALF_UP) : BigDecimal.ZERO;
                        out.add(new Offering(Cloud.AZURE, RESERVATION, location,
                                Offering.stableId(RESERVATION, location, sku.getKey(), term, payment), sku.getKey(), term,
                                payment, "VirtualMachines", "USD", upfront,
                                payment.equals("upfront") ? BigDecimal.ZERO : hourly,
                                Map.of("reservedResourceType", "VirtualMachines")));
                    }
                }
            }
        }
        return out;
    }

    static List<Offering> savingsPlans() {
        List<Offering> out = new ArrayList<>();
        for (String term : List.of("1y", "3y", "5y")) {
            for (String payment : List.of("upfront", "monthly")) {
                out.add(new Offering(Cloud.AZURE, SAVINGS_PLAN, GLOBAL,
                        Offering.stableId(SAVINGS_PLAN, GLOBAL, COMPUTE_SAVINGS_PLAN, term, payment), COMPUTE_SAVINGS_PLAN,
                        term, payment, "Compute", "USD", BigDecimal.ZERO, BigDecimal.ONE, Map.of()));
            }
        }
        return out;
    }
}
