package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One thing the emulated cloud sells: a product (instance / node type, plan type, SKU) in a
 * region, for a term and payment option, at a price per unit.
 *
 * @param cloud       the cloud selling it
 * @param type        commitment type slug, e.g. {@code aws-rds}
 * @param region      region or location
 * @param offeringId  the cloud's offering id
 * @param product     instance / node type, plan type or SKU, e.g. {@code db.r6g.large}
 * @param term        term slug ({@code 1y}, {@code 3y}, {@code 5y})
 * @param payment     payment slug ({@code no-upfront}, ... ; null when the type takes none)
 * @param description product description as the cloud names it ({@code postgresql}, {@code Linux/UNIX}, ...)
 * @param currency    ISO currency code
 * @param upfront     one-time price per unit
 * @param hourly      recurring price per unit per hour
 * @param attributes  anything else a plug-in needs, e.g. {@code instanceFamily}
 */
public record Offering(Cloud cloud, String type, String region, String offeringId, String product, String term,
                       String payment, String description, String currency, BigDecimal upfront, BigDecimal hourly,
                       Map<String, String> attributes) {

    public Offering {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(offeringId, "offeringId");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(term, "term");
        currency = currency == null ? "USD" : currency;
        upfront = upfront == null ? BigDecimal.ZERO : upfront;
        hourly = hourly == null ? BigDecimal.ZERO : hourly;
        description = description == null ? "" : description;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** A stable offering id for a seeded offering: the same inputs always give the same id. */
    public static String stableId(String type, String region, String product, String term, String payment) {
        return UUID.nameUUIDFromBytes((type + "|" + region + "|" + product + "|" + term + "|" + payment)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** Term length in years, from the slug. */
    public int years() {
        return Integer.parseInt(term.substring(0, term.length() - 1));
    }

    /** Term length in seconds, as AWS reports it (365-day years). */
    public long durationSeconds() {
        return years() * 365L * 24 * 3600;
    }

    public String attribute(String key) {
        return attributes.get(key);
    }
}
