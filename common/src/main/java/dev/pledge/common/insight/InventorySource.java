package dev.pledge.common.insight;

import dev.pledge.common.model.CommitmentType;

import java.util.List;

/** Lists the commitments an account holds, one commitment type per source, following every page. */
public interface InventorySource {

    CommitmentType type();

    /**
     * Every commitment of {@link #type()} the account holds in the query's regions (active, queued, pending
     * and recently ended ones, as the cloud lists them).
     *
     * @throws InsightException when a call fails after the client's retries; nothing partial is returned
     */
    List<HeldCommitment> list(InsightQuery query);
}
