package dev.pledge.emulator.usage;

import dev.pledge.common.model.Cloud;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Steady usage an account runs on demand, which the emulated clouds turn into recommendations (usage minus
 * the active commitments held). For instance and node types {@code units} counts instances / nodes; for
 * savings plans it is the hourly commitment (USD per hour) the usage would fill; for GCP it counts vCPUs.
 *
 * @param cloud          the cloud
 * @param type           commitment type slug ({@code aws-rds}, {@code aws-savings-plan}, ...)
 * @param account        account / subscription / project
 * @param region         region or location ({@code global} for AWS Compute Savings Plans)
 * @param product        what runs, in purchase vocabulary ({@code db.r6g.large}, {@code Compute}, ...)
 * @param units          steady units per hour (see above), at least 0
 * @param onDemandHourly on-demand price of one unit per hour; null: derived from the catalog
 * @param attributes     what the recommendation carries into a purchase (engine, family, ...)
 */
public record Usage(Cloud cloud, String type, String account, String region, String product, BigDecimal units,
                    BigDecimal onDemandHourly, Map<String, String> attributes) {

    public Usage {
        Objects.requireNonNull(cloud, "cloud");
        required("type", type);
        required("account", account);
        required("region", region);
        required("product", product);
        if (units == null || units.signum() < 0) {
            throw new IllegalArgumentException("units: is required, 0 or more, was " + units);
        }
        if (onDemandHourly != null && onDemandHourly.signum() <= 0) {
            throw new IllegalArgumentException("onDemandHourly: must be greater than 0, was " + onDemandHourly);
        }
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** Usage lines with the same slot replace each other. */
    public String slot() {
        return cloud.slug() + "|" + type + "|" + account + "|" + region + "|" + product;
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required");
        }
    }
}
