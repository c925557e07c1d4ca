package dev.pledge.soak;

import dev.pledge.common.model.CommitmentType;

import java.util.EnumMap;
import java.util.Map;

/**
 * The emulator's operation names for one commitment type: how it buys, the first call of its guard,
 * how it looks up the offering before buying, how it tags after buying, and the error code a refusal
 * (403) carries. A fault aimed at a misspelt operation would never fire: {@code SequenceExplorerTest}
 * checks that every operation here was called.
 *
 * @param offeringLookup null when the type buys without looking up an offering first
 * @param tag            null when the type tags in the purchase call itself (or not at all)
 */
record TypeCalls(CommitmentType type, String purchase, String guardLookup, String offeringLookup, String tag,
                 String refusalCode) {

    static final Map<CommitmentType, TypeCalls> ALL = new EnumMap<>(CommitmentType.class);

    static {
        add(CommitmentType.AWS_EC2, "PurchaseReservedInstancesOffering", "DescribeReservedInstances",
                "DescribeReservedInstancesOfferings", "CreateTags", "UnauthorizedOperation");
        add(CommitmentType.AWS_SAVINGS_PLAN, "CreateSavingsPlan", "DescribeSavingsPlans",
                "DescribeSavingsPlansOfferings", null, "AccessDeniedException");
        add(CommitmentType.AWS_RDS, "PurchaseReservedDBInstancesOffering", "DescribeReservedDBInstances",
                "DescribeReservedDBInstancesOfferings", null, "AccessDenied");
        add(CommitmentType.AWS_ELASTICACHE, "PurchaseReservedCacheNodesOffering", "DescribeReservedCacheNodes",
                "DescribeReservedCacheNodesOfferings", null, "AccessDenied");
        add(CommitmentType.AWS_MEMORYDB, "PurchaseReservedNodesOffering", "DescribeReservedNodes",
                "DescribeReservedNodesOfferings", null, "AccessDeniedException");
        add(CommitmentType.AWS_OPENSEARCH, "PurchaseReservedInstanceOffering", "DescribeReservedInstances",
                "DescribeReservedInstanceOfferings", null, "AccessDeniedException");
        // Redshift's guard asks for the item's tag first (DescribeTags), then describes the node
        add(CommitmentType.AWS_REDSHIFT, "PurchaseReservedNodeOffering", "DescribeTags",
                "DescribeReservedNodeOfferings", "CreateTags", "AccessDenied");
        add(CommitmentType.AZURE_RESERVATION, "ReservationOrderAlias_Create", "ReservationOrderAlias_Get", null, null,
                "AuthorizationFailed");
        add(CommitmentType.AZURE_SAVINGS_PLAN, "SavingsPlanOrderAlias_Create", "SavingsPlanOrderAlias_Get", null,
                null, "AuthorizationFailed");
        add(CommitmentType.GCP_COMPUTE, "RegionCommitments.insert", "RegionCommitments.get", null, null, "forbidden");
    }

    private static void add(CommitmentType type, String purchase, String guardLookup, String offeringLookup,
                            String tag, String refusalCode) {
        ALL.put(type, new TypeCalls(type, purchase, guardLookup, offeringLookup, tag, refusalCode));
    }

    static TypeCalls of(CommitmentType type) {
        TypeCalls calls = ALL.get(type);
        if (calls == null) {
            throw new IllegalArgumentException("type: no emulator operations known for " + type.slug());
        }
        return calls;
    }

    /** EC2 and Redshift: no caller key, only the guard's lookup protects a re-drive. */
    boolean lookupGuarded() {
        return type == CommitmentType.AWS_EC2 || type == CommitmentType.AWS_REDSHIFT;
    }
}
