package dev.pledge.soak;

import dev.pledge.common.model.CommitmentType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The faults a soak run draws from, in the emulator's control-API terms: every kind the issue asks
 * for. {@link #injectRandom} arms one (drawn from the run's seeded random), {@link #beforeRedrive}
 * makes a re-drive's guard lookup lag so that the purchase runs into the cloud's duplicate answer.
 */
final class FaultMenu implements AutoCloseable {
    static final String HTTP_5XX = "http-5xx";
    static final String THROTTLE = "throttle";
    static final String DELAY_PAST_TIMEOUT = "delay-past-timeout";
    static final String RESET_BEFORE_COMMIT = "reset-before-commit";
    static final String RESET_AFTER_COMMIT = "reset-after-commit";
    static final String GUARD_LOOKUP_FAILURE = "guard-lookup-failure";
    static final String AZURE_DUPLICATE = "azure-lost-put";
    static final String GCP_OPERATION_TIMEOUT = "gcp-operation-timeout";
    /** The purchase commits and its answer is lost; the SDK's retries of it are throttled (issue 14, defect 4). */
    static final String COMMIT_THEN_THROTTLE = "commit-then-throttle";
    /** Tagging after an EC2 / Redshift purchase fails for N calls (issue 14, defect 2). */
    static final String TAG_FAILURE = "tag-failure";
    /** An AWS offering lookup is refused (403), before a purchase or inside a re-drive's guard (defect 3). */
    static final String REFUSED_LOOKUP = "refused-lookup";
    /** Armed at re-drive time, not at random: a lagging lookup so the keyed purchase meets its duplicate. */
    static final String STALE_GUARD = "stale-guard-at-redrive";
    static final List<String> RANDOM_KINDS = List.of(HTTP_5XX, THROTTLE, DELAY_PAST_TIMEOUT, RESET_BEFORE_COMMIT,
            RESET_AFTER_COMMIT, GUARD_LOOKUP_FAILURE, AZURE_DUPLICATE, GCP_OPERATION_TIMEOUT, COMMIT_THEN_THROTTLE,
            TAG_FAILURE, REFUSED_LOOKUP);
    // Plug points for the emulator's fault shapes in flight (issue 14, item 14): add the constant to
    // RANDOM_KINDS and KINDS and one case in injectRandom, e.g. for a one-call commit-then-throttle:
    //   case COMMIT_THEN_THROTTLE_ONE_CALL -> arm(new FaultSpec(kind, cloud, type.slug(), ops.purchase(),
    //           "commit-then-throttle", 1, null, null, null));
    static final List<String> KINDS = List.of(HTTP_5XX, THROTTLE, DELAY_PAST_TIMEOUT, RESET_BEFORE_COMMIT,
            RESET_AFTER_COMMIT, GUARD_LOOKUP_FAILURE, AZURE_DUPLICATE, GCP_OPERATION_TIMEOUT, COMMIT_THEN_THROTTLE,
            TAG_FAILURE, REFUSED_LOOKUP, STALE_GUARD);
    /** The workers' pledge.cloud.max-attempts: a retried SDK call is tried this many times. */
    static final int WORKER_MAX_ATTEMPTS = 3;

    /** Longer than the workers' pledge.cloud.call-timeout (1.5 s). */
    static final int DELAY_PAST_TIMEOUT_MS = 2_500;
    /** Polls a "timed out" GCP operation stays RUNNING: far beyond the workers' poll timeout. */
    static final int SLOW_PROVISIONING_MS = 5_000;
    /** Azure SKUs (and savings-plan terms) whose duplicate PUT answers 409 Conflict; the rest answer 200. */
    static final Set<String> CONFLICT_SKUS = Set.of("Standard_D2s_v3", "Standard_E4s_v3", "Standard_F4s_v2");
    static final Set<String> CONFLICT_PLAN_TERMS = Set.of("1y", "5y");

    /** The operation names of one type: how it buys, how its guard looks up. */
    record Operations(String purchase, String lookup) {
    }

    /** AWS offering lookups (made before a purchase, and by EC2 / Redshift guards adopting an untagged one). */
    static final Map<CommitmentType, String> OFFERING_LOOKUPS = new EnumMap<>(Map.of(
            CommitmentType.AWS_EC2, "DescribeReservedInstancesOfferings",
            CommitmentType.AWS_SAVINGS_PLAN, "DescribeSavingsPlansOfferings",
            CommitmentType.AWS_RDS, "DescribeReservedDBInstancesOfferings",
            CommitmentType.AWS_ELASTICACHE, "DescribeReservedCacheNodesOfferings",
            CommitmentType.AWS_MEMORYDB, "DescribeReservedNodesOfferings",
            CommitmentType.AWS_OPENSEARCH, "DescribeReservedInstanceOfferings",
            CommitmentType.AWS_REDSHIFT, "DescribeReservedNodeOfferings"));

    static final Map<CommitmentType, Operations> OPERATIONS = new EnumMap<>(Map.of(
            CommitmentType.AWS_EC2, new Operations("PurchaseReservedInstancesOffering", "DescribeReservedInstances"),
            CommitmentType.AWS_SAVINGS_PLAN, new Operations("CreateSavingsPlan", "DescribeSavingsPlans"),
            CommitmentType.AWS_RDS, new Operations("PurchaseReservedDBInstancesOffering", "DescribeReservedDBInstances"),
            CommitmentType.AWS_ELASTICACHE, new Operations("PurchaseReservedCacheNodesOffering",
                    "DescribeReservedCacheNodes"),
            CommitmentType.AWS_MEMORYDB, new Operations("PurchaseReservedNodesOffering", "DescribeReservedNodes"),
            CommitmentType.AWS_OPENSEARCH, new Operations("PurchaseReservedInstanceOffering",
                    "DescribeReservedInstances"),
            CommitmentType.AWS_REDSHIFT, new Operations("PurchaseReservedNodeOffering", "DescribeReservedNodes"),
            CommitmentType.AZURE_RESERVATION, new Operations("ReservationOrderAlias_Create", "ReservationOrderAlias_Get"),
            CommitmentType.AZURE_SAVINGS_PLAN, new Operations("SavingsPlanOrderAlias_Create",
                    "SavingsPlanOrderAlias_Get"),
            CommitmentType.GCP_COMPUTE, new Operations("RegionCommitments.insert", "RegionCommitments.get")));

    private final EmulatorControl control;
    private final List<ObjectNode> gcpOfferings = new ArrayList<>();
    private final Map<String, Integer> armed;
    private final Map<String, Integer> windows;
    private final java.util.concurrent.ScheduledExecutorService restores =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-fault-restore");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param armed   calls each kind was armed for, updated here
     * @param windows offering flips (GCP slow operations) per kind, updated here
     */
    FaultMenu(EmulatorControl control, Map<String, Integer> armed, Map<String, Integer> windows) {
        this.control = control;
        this.armed = armed;
        this.windows = windows;
    }

    /**
     * Sets the emulator's Azure duplicate-alias switch on some offerings, so that a duplicate PUT
     * answers 409 for those and 200 with the existing order for the rest, and remembers the GCP
     * offerings whose operations can be made to time out.
     */
    void prepare() {
        for (JsonNode o : control.get("/__pledge/offerings")) {
            String type = o.path("type").asString();
            if (type.equals(CommitmentType.AZURE_RESERVATION.slug()) || type.equals(CommitmentType.AZURE_SAVINGS_PLAN.slug())) {
                if (conflicts(type, o.path("product").asString(), o.path("term").asString())) {
                    ObjectNode flipped = (ObjectNode) o.deepCopy();
                    ((ObjectNode) flipped.path("attributes")).put("duplicateAlias", "conflict");
                    control.postOffering(flipped);
                }
            } else if (type.equals(CommitmentType.GCP_COMPUTE.slug())) {
                gcpOfferings.add((ObjectNode) o.deepCopy());
            }
        }
        if (gcpOfferings.isEmpty()) {
            throw new IllegalStateException("the emulator sells no gcp-compute offering");
        }
    }

    /** Whether a duplicate PUT for this Azure offering answers 409 (true) or 200 (false). */
    static boolean conflicts(String type, String product, String term) {
        return type.equals(CommitmentType.AZURE_SAVINGS_PLAN.slug()) ? CONFLICT_PLAN_TERMS.contains(term)
                : CONFLICT_SKUS.contains(product);
    }

    /** Arms one random fault; returns its kind. */
    String injectRandom(Random random) {
        String kind = RANDOM_KINDS.get(random.nextInt(RANDOM_KINDS.size()));
        CommitmentType[] types = CommitmentType.values();
        CommitmentType type = types[random.nextInt(types.length)];
        String cloud = type.cloud().slug();
        Operations ops = OPERATIONS.get(type);
        int times = 1 + random.nextInt(2);
        switch (kind) {
            case HTTP_5XX -> arm(new FaultSpec(kind, cloud, type.slug(), random.nextBoolean() ? ops.purchase() : null,
                    "error", times, List.of(500, 502, 503).get(random.nextInt(3)), null, null));
            case THROTTLE -> arm(new FaultSpec(kind, cloud, type.slug(), null, "throttle", times, null, null, null));
            case DELAY_PAST_TIMEOUT -> arm(new FaultSpec(kind, cloud, type.slug(),
                    random.nextBoolean() ? ops.purchase() : ops.lookup(), "delay", 1, null, null, DELAY_PAST_TIMEOUT_MS));
            case RESET_BEFORE_COMMIT -> arm(new FaultSpec(kind, cloud, type.slug(), ops.purchase(),
                    "reset-before-commit", times, null, null, null));
            case RESET_AFTER_COMMIT -> arm(new FaultSpec(kind, cloud, type.slug(), ops.purchase(),
                    "reset-after-commit", 1, null, null, null));
            case GUARD_LOOKUP_FAILURE -> arm(new FaultSpec(kind, cloud, type.slug(), ops.lookup(), "error", times,
                    List.of(500, 503).get(random.nextInt(2)), null, null));
            case AZURE_DUPLICATE -> {
                CommitmentType azure = random.nextBoolean() ? CommitmentType.AZURE_RESERVATION
                        : CommitmentType.AZURE_SAVINGS_PLAN;
                arm(new FaultSpec(kind, "azure", azure.slug(), OPERATIONS.get(azure).purchase(), "reset-after-commit", 1,
                        null, null, null));
            }
            case GCP_OPERATION_TIMEOUT -> slowGcpOperations(random);
            case COMMIT_THEN_THROTTLE -> {
                arm(new FaultSpec(kind, cloud, type.slug(), ops.purchase(), "reset-after-commit", 1, null, null, null));
                arm(new FaultSpec(kind, cloud, type.slug(), ops.purchase(), "throttle", WORKER_MAX_ATTEMPTS - 1, null,
                        null, null));
            }
            case TAG_FAILURE -> {
                CommitmentType tagged = random.nextBoolean() ? CommitmentType.AWS_EC2 : CommitmentType.AWS_REDSHIFT;
                // three tag attempts, each of up to max-attempts tries on a 5xx (one on a 403)
                boolean refused = random.nextBoolean();
                arm(new FaultSpec(kind, "aws", tagged.slug(), "CreateTags", "error", refused ? 3 : 3 * WORKER_MAX_ATTEMPTS,
                        refused ? 403 : 500, refused ? "UnauthorizedOperation" : null, null));
            }
            case REFUSED_LOOKUP -> {
                CommitmentType aws = List.copyOf(OFFERING_LOOKUPS.keySet()).get(random.nextInt(OFFERING_LOOKUPS.size()));
                arm(new FaultSpec(kind, "aws", aws.slug(), OFFERING_LOOKUPS.get(aws), "error", 1, 403, "AccessDenied",
                        null));
            }
            default -> throw new IllegalStateException("unknown fault kind " + kind);
        }
        return kind;
    }

    /**
     * A re-drive of an item whose last purchase may have landed: half the time its type's next guard
     * lookup lags (the emulator answers as if nothing were bought), so the purchase is sent again
     * with the same key and must be recognised from the cloud's duplicate answer. Not for the two
     * types without a caller key: nothing but the lookup protects those, and a lagging lookup would
     * defeat any client.
     */
    void beforeRedrive(CommitmentType type, Random random) {
        if (type == CommitmentType.AWS_EC2 || type == CommitmentType.AWS_REDSHIFT || !random.nextBoolean()) {
            return;
        }
        arm(new FaultSpec(STALE_GUARD, type.cloud().slug(), type.slug(), OPERATIONS.get(type).lookup(), "stale-read", 1,
                null, null, null));
    }

    /**
     * One GCP offering's commitments take longer to provision than the poll timeout, for a short window;
     * the offering is put back by a timer, so arming the next faults does not wait for it.
     */
    private void slowGcpOperations(Random random) {
        ObjectNode offering = gcpOfferings.get(random.nextInt(gcpOfferings.size()));
        ObjectNode slow = offering.deepCopy();
        // provisioning outlasts the soak's 3 s poll timeout: the purchase ends confirming and the
        // confirmation sweep follows it to its final state (an endless operation would never end)
        ((ObjectNode) slow.path("attributes")).put("provisioningMs", String.valueOf(SLOW_PROVISIONING_MS));
        control.postOffering(slow);
        windows.merge(GCP_OPERATION_TIMEOUT, 1, Integer::sum);
        restores.schedule(() -> control.postOffering(offering), 1_500 + random.nextInt(1_500),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Puts back every slowed GCP offering now. */
    @Override
    public void close() {
        restores.shutdown();
        try {
            if (!restores.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                restores.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ObjectNode offering : gcpOfferings) {
            control.postOffering(offering);
        }
    }

    /**
     * The operations this menu aims faults at that the emulator never saw called: a fault aimed at a
     * misspelt operation would never fire and the soak would test less than it claims.
     */
    List<String> unseenTargets() {
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode r : control.get("/__pledge/requests")) {
            if (r.path("count").asInt(0) > 0) {
                seen.add(r.path("type").asString("") + " " + r.path("operation").asString("").toLowerCase(java.util.Locale.ROOT));
            }
        }
        List<String> unseen = new ArrayList<>();
        for (Map.Entry<CommitmentType, Operations> e : OPERATIONS.entrySet()) {
            for (String op : List.of(e.getValue().purchase(), e.getValue().lookup())) {
                String key = e.getKey().slug() + " " + op.toLowerCase(java.util.Locale.ROOT);
                if (!seen.contains(key)) {
                    unseen.add(key);
                }
            }
        }
        return unseen;
    }

    private void arm(FaultSpec spec) {
        control.fault(spec);
        armed.merge(spec.kind(), spec.times(), Integer::sum);
    }
}
