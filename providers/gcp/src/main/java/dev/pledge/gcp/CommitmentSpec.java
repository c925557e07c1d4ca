package dev.pledge.gcp;

import com.google.cloud.compute.v1.Commitment;
import com.google.cloud.compute.v1.ResourceCommitment;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.Term;
import dev.pledge.common.model.ValidationException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a {@code gcp-compute} request asks for, checked before anything is sent.
 * account = project id, region = region, offering = commitment type (e.g. GENERAL_PURPOSE_N2),
 * quantity = 1; attributes {@code vcpus} and {@code memoryMb} (required), {@code localSsdGb},
 * {@code acceleratorType} with {@code acceleratorCount}, {@code autoRenew}, {@code description}.
 */
record CommitmentSpec(String project, String region, String commitmentType, String plan, long vcpus, long memoryMb,
                      long localSsdGb, String acceleratorType, long acceleratorCount, boolean autoRenew,
                      String description) {
    static final List<String> ATTRIBUTES = List.of("vcpus", "memoryMb", "localSsdGb", "acceleratorType",
            "acceleratorCount", "autoRenew", "description");
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern ACCELERATOR = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> NOT_SOLD = Set.of("UNDEFINED_TYPE", "TYPE_UNSPECIFIED", "UNRECOGNIZED");
    static final List<String> COMMITMENT_TYPES = Arrays.stream(Commitment.Type.values()).map(Enum::name)
            .filter(n -> !NOT_SOLD.contains(n)).sorted().toList();
    private static final long MAX_VCPUS = 100_000;
    private static final long MAX_MEMORY_MB = 1L << 32;

    static CommitmentSpec of(CommitmentRequest request) {
        if (request.type() != CommitmentType.GCP_COMPUTE) {
            throw new ValidationException("type", "this executor buys gcp-compute, not " + request.type().slug());
        }
        Set<String> known = new TreeSet<>(ATTRIBUTES);
        for (String key : request.attributes().keySet()) {
            if (!known.contains(key)) {
                throw new ValidationException("attributes." + key, "is not used by gcp-compute; known attributes: "
                        + String.join(", ", known));
            }
        }
        if (!PROJECT.matcher(request.account()).matches()) {
            throw new ValidationException("account", "'" + request.account() + "' is not a GCP project id: 6-30 "
                    + "characters, lowercase letters, digits and -, starting with a letter");
        }
        String type = request.offering().toUpperCase(Locale.ROOT);
        if (!COMMITMENT_TYPES.contains(type)) {
            throw new ValidationException("offering", "'" + request.offering() + "' is not a commitment type; allowed: "
                    + String.join(", ", COMMITMENT_TYPES));
        }
        if (request.quantity() != 1) {
            throw new ValidationException("quantity", "must be 1 for gcp-compute: one commitment per item, sized by "
                    + "attributes.vcpus and attributes.memoryMb");
        }
        long vcpus = number(request, "vcpus", true, 1, MAX_VCPUS, "the number of vCPUs committed");
        long memoryMb = number(request, "memoryMb", true, 1, MAX_MEMORY_MB, "the memory committed, in MB");
        long ssd = number(request, "localSsdGb", false, 1, 1_000_000, "local SSD committed, in GB");
        String accelerator = request.attribute("acceleratorType");
        long acceleratorCount = number(request, "acceleratorCount", false, 1, 10_000, "how many accelerators");
        if ((accelerator == null) != (acceleratorCount == 0)) {
            throw new ValidationException(accelerator == null ? "attributes.acceleratorType" : "attributes.acceleratorCount",
                    "acceleratorType and acceleratorCount go together, e.g. nvidia-tesla-t4 and 2");
        }
        if (accelerator != null && !ACCELERATOR.matcher(accelerator).matches()) {
            throw new ValidationException("attributes.acceleratorType", "'" + accelerator
                    + "' is not an accelerator type name such as nvidia-tesla-t4");
        }
        String renew = request.attribute("autoRenew");
        if (renew != null && !renew.equalsIgnoreCase("true") && !renew.equalsIgnoreCase("false")) {
            throw new ValidationException("attributes.autoRenew", "must be true or false, was '" + renew + "'");
        }
        String description = request.attribute("description");
        if (description != null && description.length() > 2048) {
            throw new ValidationException("attributes.description", "must be at most 2048 characters");
        }
        return new CommitmentSpec(request.account(), request.region(), type, plan(request.term()), vcpus, memoryMb, ssd,
                accelerator, acceleratorCount, Boolean.parseBoolean(renew), description);
    }

    static String plan(Term term) {
        return switch (term) {
            case ONE_YEAR -> "TWELVE_MONTH";
            case THREE_YEARS -> "THIRTY_SIX_MONTH";
            default -> throw new ValidationException("term", "'" + term.slug() + "' is not sold for gcp-compute; allowed: 1y, 3y");
        };
    }

    private static long number(CommitmentRequest request, String key, boolean required, long min, long max, String what) {
        String raw = required ? request.requireAttribute(key, what) : request.attribute(key);
        if (raw == null) {
            return 0;
        }
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException("attributes." + key, "'" + raw + "' is not a whole number (" + what + ")");
        }
        if (v < min || v > max) {
            throw new ValidationException("attributes." + key, "must be " + min + "-" + max + ", was " + v);
        }
        return v;
    }

    /** The commitment resource sent to {@code regionCommitments.insert}. */
    Commitment toCommitment(String name, String executionId) {
        Commitment.Builder c = Commitment.newBuilder()
                .setName(name)
                .setPlan(plan)
                .setType(commitmentType)
                .setCategory("MACHINE")
                .setAutoRenew(autoRenew)
                .setDescription(description != null ? description
                        : "Bought by Pledge" + (executionId == null ? " (one-off)" : " for execution " + executionId))
                .addResources(ResourceCommitment.newBuilder().setType("VCPU").setAmount(vcpus))
                .addResources(ResourceCommitment.newBuilder().setType("MEMORY").setAmount(memoryMb));
        if (localSsdGb > 0) {
            c.addResources(ResourceCommitment.newBuilder().setType("LOCAL_SSD").setAmount(localSsdGb));
        }
        if (acceleratorType != null) {
            c.addResources(ResourceCommitment.newBuilder().setType("ACCELERATOR").setAcceleratorType(acceleratorType)
                    .setAmount(acceleratorCount));
        }
        return c.build();
    }

    /** Null when an existing commitment is what this spec asks for, else what differs. */
    String mismatch(Commitment existing) {
        if (!existing.getPlan().isEmpty() && !existing.getPlan().equals(plan)) {
            return "its plan is " + existing.getPlan() + ", not " + plan;
        }
        if (!existing.getType().isEmpty() && !existing.getType().equals(commitmentType)) {
            return "its type is " + existing.getType() + ", not " + commitmentType;
        }
        long existingVcpus = amount(existing, "VCPU");
        long existingMemory = amount(existing, "MEMORY");
        if (existingVcpus >= 0 && existingVcpus != vcpus) {
            return "it commits " + existingVcpus + " vCPUs, not " + vcpus;
        }
        if (existingMemory >= 0 && existingMemory != memoryMb) {
            return "it commits " + existingMemory + " MB of memory, not " + memoryMb;
        }
        return null;
    }

    private static long amount(Commitment c, String type) {
        return c.getResourcesList().stream().filter(r -> r.getType().equals(type)).mapToLong(ResourceCommitment::getAmount)
                .findFirst().orElse(-1);
    }
}
