package dev.pledge.emulator.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Offering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seeded AWS catalog: every product of a type in three regions, both terms and the three
 * payment options, with deterministic offering ids and list-like prices.
 */
final class AwsCatalog {
    static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1");
    static final List<String> TERMS = List.of("1y", "3y");
    static final List<String> PAYMENTS = List.of("no-upfront", "partial-upfront", "all-upfront");

    private AwsCatalog() {
    }

    /** Offerings for {@code products} (product -> on-demand-like hourly base price). */
    static List<Offering> seed(String type, String description, Map<String, String> products,
                               Map<String, String> attributes) {
        List<Offering> out = new ArrayList<>();
        for (String region : REGIONS) {
            for (Map.Entry<String, String> p : products.entrySet()) {
                for (String term : TERMS) {
                    for (String payment : PAYMENTS) {
                        out.add(offering(type, region, p.getKey(), term, payment, description,
                                new BigDecimal(p.getValue()), attributes));
                    }
                }
            }
        }
        return out;
    }

    static Offering offering(String type, String region, String product, String term, String payment,
                             String description, BigDecimal base, Map<String, String> attributes) {
        int years = Integer.parseInt(term.substring(0, 1));
        BigDecimal hours = BigDecimal.valueOf(years * 8760L);
        BigDecimal discount = years == 1 ? new BigDecimal("0.70") : new BigDecimal("0.50");
        BigDecimal effective = base.multiply(discount);
        BigDecimal upfront;
        BigDecimal hourly;
        switch (payment) {
            case "all-upfront" -> {
                upfront = effective.multiply(hours).multiply(new BigDecimal("0.95"));
                hourly = BigDecimal.ZERO;
            }
            case "partial-upfront" -> {
                upfront = effective.multiply(hours).multiply(new BigDecimal("0.48"));
                hourly = effective.multiply(new BigDecimal("0.49"));
            }
            default -> {
                upfront = BigDecimal.ZERO;
                hourly = effective;
            }
        }
        return new Offering(Cloud.AWS, type, region, Offering.stableId(type, region, product, term, payment),
                product, term, payment, description, "USD", upfront.setScale(2, RoundingMode.HALF_UP),
                hourly.setScale(4, RoundingMode.HALF_UP), attributes);
    }

    /** AWS's spelling of a payment slug: {@code No Upfront}, {@code Partial Upfront}, {@code All Upfront}. */
    static String offeringType(String payment) {
        return switch (payment) {
            case "all-upfront" -> "All Upfront";
            case "partial-upfront" -> "Partial Upfront";
            default -> "No Upfront";
        };
    }

    static String paymentFromOfferingType(String offeringType) {
        if (offeringType == null) {
            return null;
        }
        return switch (offeringType.trim().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')) {
            case "all upfront" -> "all-upfront";
            case "partial upfront" -> "partial-upfront";
            case "no upfront" -> "no-upfront";
            default -> "unknown";
        };
    }
}
