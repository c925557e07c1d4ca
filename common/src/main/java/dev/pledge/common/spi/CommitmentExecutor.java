package dev.pledge.common.spi;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Buys one kind of commitment, at most once per item token. The contract every implementation
 * keeps (and the contract kit in this module's test-jar checks):
 * <ol>
 *   <li>with a token, guard first: look the commitment up by its derived key; found means
 *       {@link OutcomeKind#ALREADY_OWNED} and nothing is bought;</li>
 *   <li>buy with the derived key, so the cloud itself rejects or ignores a duplicate;</li>
 *   <li>an AlreadyExists-style fault for our key is "possibly mine": describe, confirm, and
 *       return {@link OutcomeKind#RECOVERED};</li>
 *   <li>if the guard cannot decide, throw {@link GuardUndecidedException} and buy nothing.</li>
 * </ol>
 * Without a token ({@link PurchaseContext#oneOff}) keys are unique per call and no guard runs.
 * Failures are the subclasses of {@link PurchaseException}; bad input is a
 * {@link dev.pledge.common.model.ValidationException} thrown before anything is sent.
 */
public interface CommitmentExecutor extends AutoCloseable {

    CommitmentType type();

    DedupeStrength dedupeStrength();

    /**
     * Checks the type-specific parts of a request (attributes, key length rules) without any
     * network call. {@link #purchase} calls it first; the CLI's dry run calls it alone.
     */
    void validate(CommitmentRequest request);

    /** The keys this executor would send for this context (reservation id, alias, UUID), for a dry run. */
    Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context);

    PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context);

    /**
     * Commitments of this type in the request's account and region, with the same offering, bought
     * at or after {@code since}: the one-off mode's check for an identical recent purchase.
     * Throws {@link GuardUndecidedException} when the lookup fails, so callers fail closed.
     */
    List<ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since);

    /** The price the cloud's offering lookup reports for this request, when it knows one; for dry runs. */
    default Optional<PriceQuote> quote(CommitmentRequest request) {
        return Optional.empty();
    }

    /**
     * Reads the state of a commitment this executor returned as {@link PurchaseOutcome#confirming()}.
     * A lookup failure throws {@link GuardUndecidedException} (the caller asks again later). Executors
     * that can return confirming outcomes override this.
     */
    default Confirmation confirm(CommitmentRequest request, String commitmentId) {
        throw new UnsupportedOperationException(type().slug() + " never returns a confirming outcome");
    }

    /**
     * Drops whatever was built from an account's credentials (clients, tokens, assumed roles), because
     * they were replaced; the next call reads them again. Default: nothing is cached.
     */
    default void forgetAccount(String account) {
    }

    /** Releases clients; executors are long-lived and reuse their clients between calls. */
    @Override
    default void close() {
    }
}
