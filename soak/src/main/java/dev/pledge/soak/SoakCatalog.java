package dev.pledge.soak;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The soak's accounts and, from the emulator's own catalog, what each type can be bought with. */
final class SoakCatalog {

    private SoakCatalog() {
    }

    /** The external id of soak account {@code i} of a cloud, in that cloud's format. */
    static String externalId(Cloud cloud, int i) {
        return switch (cloud) {
            case AWS -> String.format("1111222233%02d", i);
            case AZURE -> String.format("5eed0000-0000-4000-8000-%012d", i);
            case GCP -> "soak-project-" + i;
        };
    }

    static ItemCatalog catalog(EmulatorControl control) {
        Map<CommitmentType, List<ItemCatalog.Offering>> out = new EnumMap<>(CommitmentType.class);
        for (JsonNode o : control.get("/__pledge/offerings")) {
            CommitmentType type;
            try {
                type = CommitmentType.fromSlug("type", o.path("type").asString());
            } catch (RuntimeException e) {
                continue;
            }
            String region = o.path("region").asString();
            String offering = offeringField(type, o);
            List<ItemCatalog.Offering> list = out.computeIfAbsent(type, k -> new ArrayList<>());
            String term = o.path("term").isString() ? o.path("term").asString() : null;
            String payment = o.path("payment").isString() ? o.path("payment").asString() : null;
            ItemCatalog.Offering candidate = new ItemCatalog.Offering(region, offering, term, payment,
                    attributes(type, o));
            if (!list.contains(candidate)) {
                list.add(candidate);
            }
        }
        return new ItemCatalog(out);
    }

    /** What goes in the request's offering field: the cloud's offering id or its product name. */
    private static String offeringField(CommitmentType type, JsonNode o) {
        return switch (type) {
            case AWS_EC2, AWS_RDS, AWS_ELASTICACHE, AWS_MEMORYDB, AWS_OPENSEARCH, AWS_REDSHIFT ->
                    o.path("product").asString();
            default -> o.path("product").asString();
        };
    }

    /** The type-specific attributes each executor needs (and only those: unknown keys are refused). */
    private static Map<String, String> attributes(CommitmentType type, JsonNode o) {
        String description = o.path("description").asString("");
        Map<String, String> out = new java.util.TreeMap<>();
        switch (type) {
            case AWS_EC2, AWS_RDS, AWS_ELASTICACHE -> {
                if (!description.isBlank()) {
                    out.put("productDescription", description);
                }
            }
            case AWS_SAVINGS_PLAN -> {
                out.put("hourlyCommitment", "1.5");
                String family = o.path("attributes").path("instanceFamily").asString("");
                if (!family.isBlank()) {
                    out.put("instanceFamily", family);
                }
                if ("partial-upfront".equals(o.path("payment").asString(""))) {
                    out.put("upfrontPaymentAmount", "100");
                }
            }
            case AZURE_SAVINGS_PLAN -> out.put("hourlyCommitment", "2.5");
            case AZURE_RESERVATION -> out.put("reservedResourceType", "VirtualMachines");
            case GCP_COMPUTE -> {
                out.put("vcpus", "4");
                out.put("memoryMb", "16384");
            }
            default -> {
            }
        }
        return out;
    }
}
