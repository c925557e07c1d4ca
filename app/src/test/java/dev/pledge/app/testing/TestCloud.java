package dev.pledge.app.testing;

import dev.pledge.app.account.Account;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ExecutorRegistry;

/**
 * A cloud behind real executors for the money-path tests: what it holds, how many purchase requests
 * reached it, and the faults a test needs.
 */
public interface TestCloud extends AutoCloseable {

    ExecutorRegistry executors();

    Cloud cloud();

    /** An external account id the cloud accepts (e.g. a 12-digit AWS account), unique per call. */
    String newExternalAccountId();

    /** A purchasable line item for the account, distinct per {@code n}. */
    NewItem item(Account account, int n);

    /** Commitments the cloud holds for the account. */
    int commitments(Account account);

    /** Purchase requests that reached the cloud (for any account) since the start of the test. */
    int purchaseRequests();

    /** The next purchase commits, and its response is lost. */
    void loseNextPurchaseResponse();

    /** The next guard lookup fails. */
    void failNextLookup();

    /** The next purchase is refused; nothing is bought. */
    void rejectNextPurchase();

    /** Forget counts and faults between tests (commitments stay; tests use their own accounts). */
    void resetCounts();

    @Override
    default void close() {
    }
}
