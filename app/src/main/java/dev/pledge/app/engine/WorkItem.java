package dev.pledge.app.engine;

import dev.pledge.app.execution.ItemStatus;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.PriceCeiling;

import java.time.Instant;
import java.util.List;

/**
 * An item as a worker sees it.
 *
 * @param earlierAttempts         start instants of every recorded attempt (write-ahead), oldest first
 * @param lastOutcomeUnknown      the last attempt has no result or ended with an unknown outcome: the
 *                                cloud may hold it, so only the guard may decide
 * @param approvedPrice           the most the item may cost (issue 16), null when no price was approved
 */
record WorkItem(int position, CommitmentRequest request, ItemStatus status, List<Instant> earlierAttempts,
                boolean lastOutcomeUnknown, PriceCeiling approvedPrice) {

    boolean needsWork() {
        return status == ItemStatus.PENDING || status == ItemStatus.PURCHASING;
    }

    /** One purchase at a time per (cloud, account, commitment type), across all workers and replicas. */
    String purchaseLockKey() {
        return "pledge-purchase:" + request.type().cloud().slug() + ":" + request.account() + ":"
                + request.type().slug();
    }
}
