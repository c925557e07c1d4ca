package dev.pledge.emulator.gcp;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Offering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the emulated Compute Engine sells out of the box: commitments of a few types in a few regions. */
final class GcpCatalog {
    static final List<String> REGIONS = List.of("europe-west1", "europe-west4", "us-central1", "us-east1");
    /** Commitment type -> committed price per vCPU-hour (USD, 1-year). */
    private static final Map<String, String> TYPES = Map.of(
            "GENERAL_PURPOSE", "0.0198", "GENERAL_PURPOSE_N2", "0.0206", "GENERAL_PURPOSE_E2", "0.0137",
            "GENERAL_PURPOSE_N2D", "0.0179", "COMPUTE_OPTIMIZED_C2D", "0.0189", "MEMORY_OPTIMIZED", "0.0334");

    private GcpCatalog() {
    }

    static List<Offering> commitments() {
        List<Offering> out = new ArrayList<>();
        for (String region : REGIONS) {
            for (Map.Entry<String, String> type : TYPES.entrySet()) {
                for (String term : List.of("1y", "3y")) {
                    BigDecimal hourly = new BigDecimal(type.getValue());
                    if (term.equals("3y")) {
                        hourly = hourly.multiply(new BigDecimal("0.7"));
                    }
                    out.add(new Offering(Cloud.GCP, RegionCommitmentsApi.TYPE, region,
                            Offering.stableId(RegionCommitmentsApi.TYPE, region, type.getKey(), term, null), type.getKey(),
                            term, null, "per vCPU", "USD", BigDecimal.ZERO, hourly, Map.of()));
                }
            }
        }
        return out;
    }
}
