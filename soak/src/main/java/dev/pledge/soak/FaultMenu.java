package dev.pledge.soak;

import dev.pledge.common.model.CommitmentType;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The faults a soak run draws from, in the emulator's control-API terms. Every kind the issue asks
 * for is here; {@link #pick} draws one with its target type and how many calls it hits.
 */
final class FaultMenu {
    static final String HTTP_5XX = "http-5xx";
    static final String THROTTLE = "throttle";
    static final String DELAY_PAST_TIMEOUT = "delay-past-timeout";
    static final String RESET_BEFORE_COMMIT = "reset-before-commit";
    static final String RESET_AFTER_COMMIT = "reset-after-commit";
    static final String GUARD_LOOKUP_FAILURE = "guard-lookup-failure";
    static final String AZURE_DUPLICATE_200 = "azure-duplicate-200-existing";
    static final String AZURE_DUPLICATE_409 = "azure-duplicate-409";
    static final String GCP_OPERATION_TIMEOUT = "gcp-operation-timeout";
    static final List<String> KINDS = List.of(HTTP_5XX, THROTTLE, DELAY_PAST_TIMEOUT, RESET_BEFORE_COMMIT,
            RESET_AFTER_COMMIT, GUARD_LOOKUP_FAILURE, AZURE_DUPLICATE_200, AZURE_DUPLICATE_409, GCP_OPERATION_TIMEOUT);

    /** Delay longer than the workers' pledge.cloud.call-timeout (1.5 s). */
    static final int DELAY_PAST_TIMEOUT_MS = 2_500;

    /** The operation names of one type: how it buys, how its guard looks up. */
    record Operations(String purchase, String lookup) {
    }

    static final Map<CommitmentType, Operations> OPERATIONS = Map.of(
            CommitmentType.AWS_EC2, new Operations("PurchaseReservedInstancesOffering", "DescribeReservedInstances"),
            CommitmentType.AWS_SAVINGS_PLAN, new Operations("CreateSavingsPlan", "DescribeSavingsPlans"),
            CommitmentType.AWS_RDS, new Operations("PurchaseReservedDBInstancesOffering", "DescribeReservedDBInstances"),
            CommitmentType.AWS_ELASTICACHE, new Operations("PurchaseReservedCacheNodesOffering",
                    "DescribeReservedCacheNodes"),
            CommitmentType.AWS_MEMORYDB, new Operations("PurchaseReservedNodesOffering", "DescribeReservedNodes"),
            CommitmentType.AWS_OPENSEARCH, new Operations("PurchaseReservedInstanceOffering",
                    "DescribeReservedInstances"),
            CommitmentType.AWS_REDSHIFT, new Operations("PurchaseReservedNodeOffering", "DescribeReservedNodes"),
            CommitmentType.AZURE_RESERVATION, new Operations("PutReservationOrderAlias", "GetReservationOrderAlias"),
            CommitmentType.AZURE_SAVINGS_PLAN, new Operations("PutSavingsPlanOrderAlias", "GetSavingsPlanOrderAlias"),
            CommitmentType.GCP_COMPUTE, new Operations("InsertRegionCommitment", "GetRegionCommitment"));
    static final String GCP_OPERATION_POLL = "GetRegionOperation";

    private final EmulatorControl control;

    FaultMenu(EmulatorControl control) {
        this.control = control;
    }

    FaultSpec pick(Random random) {
        String kind = KINDS.get(random.nextInt(KINDS.size()));
        CommitmentType[] types = CommitmentType.values();
        CommitmentType type = types[random.nextInt(types.length)];
        String cloud = type.cloud().slug();
        Operations ops = OPERATIONS.get(type);
        int times = 1 + random.nextInt(2);
        return switch (kind) {
            case HTTP_5XX -> new FaultSpec(kind, cloud, type.slug(), random.nextBoolean() ? ops.purchase() : null, "error",
                    times, List.of(500, 502, 503).get(random.nextInt(3)), null, null);
            case THROTTLE -> new FaultSpec(kind, cloud, type.slug(), null, "throttle", times, null, null, null);
            case DELAY_PAST_TIMEOUT -> new FaultSpec(kind, cloud, type.slug(),
                    random.nextBoolean() ? ops.purchase() : ops.lookup(), "delay", 1, null, null,
                    DELAY_PAST_TIMEOUT_MS);
            case RESET_BEFORE_COMMIT -> new FaultSpec(kind, cloud, type.slug(), ops.purchase(), "reset-before-commit",
                    times, null, null, null);
            case RESET_AFTER_COMMIT -> new FaultSpec(kind, cloud, type.slug(), ops.purchase(), "reset-after-commit",
                    1, null, null, null);
            case GUARD_LOOKUP_FAILURE -> new FaultSpec(kind, cloud, type.slug(), ops.lookup(), "error", times,
                    List.of(500, 503).get(random.nextInt(2)), null, null);
            case AZURE_DUPLICATE_200, AZURE_DUPLICATE_409 -> azureDuplicate(kind, random);
            case GCP_OPERATION_TIMEOUT -> new FaultSpec(kind, "gcp", CommitmentType.GCP_COMPUTE.slug(),
                    GCP_OPERATION_POLL, "delay", 1, null, null, DELAY_PAST_TIMEOUT_MS);
            default -> throw new IllegalStateException("unknown fault kind " + kind);
        };
    }

    /** A duplicate PUT of an alias: the purchase commits, its answer is lost, the retry finds the alias. */
    private static FaultSpec azureDuplicate(String kind, Random random) {
        CommitmentType type = random.nextBoolean() ? CommitmentType.AZURE_RESERVATION : CommitmentType.AZURE_SAVINGS_PLAN;
        return new FaultSpec(kind, "azure", type.slug(), OPERATIONS.get(type).purchase(), "reset-after-commit", 1, null,
                null, null);
    }

    void arm(FaultSpec spec) {
        control.fault(spec);
    }
}
