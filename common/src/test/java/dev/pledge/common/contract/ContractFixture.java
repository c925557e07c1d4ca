package dev.pledge.common.contract;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.PurchaseContext;

/**
 * The cloud side of a contract run: an emulator or WireMock fixture that an executor module
 * provides so {@link CommitmentExecutorContract} can arrange faults and count what arrived.
 * Counts cover only the executor's own commitment type.
 */
public interface ContractFixture {

    /** Forgets every commitment, fault and count. Called before each contract test. */
    void reset();

    /** Purchase requests that reached the cloud, including ones that failed or were reset. */
    int purchaseRequests();

    /** Guard lookups (describe, get, list) that reached the cloud. */
    int lookupRequests();

    /** Commitments the cloud holds now. */
    int commitments();

    /**
     * Makes the cloud already hold the commitment whose key derives from {@code context}, while
     * the executor's next guard lookup does not see it, so that the purchase meets the cloud's
     * AlreadyExists fault. Only called for {@code SERVER_KEY} executors.
     */
    void arrangeAlreadyExists(CommitmentRequest request, PurchaseContext context);

    /** Every guard lookup fails with a server error until {@link #reset()}. */
    void failLookups();

    /** The next purchase request commits in the cloud, then its connection is reset: the response is lost. */
    void resetAfterCommitOnNextPurchase();
}
