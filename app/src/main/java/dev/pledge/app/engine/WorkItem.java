package dev.pledge.app.engine;

import dev.pledge.app.execution.ItemStatus;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.Attempt;

import java.util.List;

/**
 * An item as a worker sees it.
 *
 * @param earlierAttempts every recorded attempt (write-ahead), oldest first, with its end and whether
 *                        it may have bought (unfinished, or ended with an unknown outcome)
 */
record WorkItem(int position, CommitmentRequest request, ItemStatus status, List<Attempt> earlierAttempts) {

    WorkItem {
        earlierAttempts = List.copyOf(earlierAttempts);
    }

    boolean needsWork() {
        return status == ItemStatus.PENDING || status == ItemStatus.PURCHASING;
    }

    /**
     * An earlier attempt may have bought: the cloud may hold this item's commitment, so no later
     * failure may be reported as "nothing was bought"; only the guard can decide.
     */
    boolean mayHoldCommitment() {
        return earlierAttempts.stream().anyMatch(Attempt::mayHaveBought);
    }

    /** One purchase at a time per (cloud, account, commitment type), across all workers and replicas. */
    String purchaseLockKey() {
        return "pledge-purchase:" + request.type().cloud().slug() + ":" + request.account() + ":"
                + request.type().slug();
    }
}
