package dev.pledge.app.engine;

import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One worker working through one claimed execution: per item, take the purchase lock, record the
 * attempt (committed), call the executor with the item token and the earlier attempts, record the
 * outcome; then the final status. It stops writing the moment the execution is no longer its own.
 *
 * <p>Statements: the claim, its audit row and the items (1 statement, 1 commit); per item, the
 * purchase lock and the write-ahead record with its audit row, and the commitments other items hold,
 * before the cloud call (1); the purchase gate right before the purchase request (1 statement, in a
 * transaction the outcome's statement commits); and the outcome, its audit row, the release of the
 * lock and, for the last item, the final status with its audit row after it (1). A single-item
 * execution costs four statements and three commits.
 *
 * <p>It never waits holding a claim: a busy purchase lock, or an earlier attempt that may still be in
 * flight, hands the execution back (APPROVED, with a not-before) and the worker takes other work.
 */
final class ExecutionRun {
    private static final Logger log = LoggerFactory.getLogger(ExecutionRun.class);

    enum End {
        /** Final status written. */
        FINISHED,
        /** Another worker owns the execution now; nothing more was written. */
        LEASE_LOST,
        /** Shutdown: the execution went back to APPROVED (or stays leased) with its remaining items. */
        RELEASED,
        /**
         * Handed back to APPROVED with a short not-before: the purchase lock was busy, or an earlier
         * attempt of an item may still be in flight; this worker takes other work meanwhile.
         */
        HANDED_BACK
    }

    private final ClaimedExecution claimed;
    private final WorkerStore store;
    private final PurchaseLocks locks;
    private final ExecutorRegistry executors;
    private final EngineMetrics metrics;
    private final BooleanSupplier stopping;
    private final Duration guardBudget;
    private volatile boolean leaseLost;
    private volatile boolean closing;
    private volatile ExecutionStatus finalStatus;

    /** @param guardBudget how long after an attempt starts its purchase request may still go out (the gate) */
    ExecutionRun(ClaimedExecution claimed, WorkerStore store, PurchaseLocks locks, ExecutorRegistry executors,
                 EngineMetrics metrics, BooleanSupplier stopping, Duration guardBudget) {
        this.guardBudget = guardBudget;
        this.claimed = claimed;
        this.store = store;
        this.locks = locks;
        this.executors = executors;
        this.metrics = metrics;
        this.stopping = stopping;
    }

    ClaimedExecution claimed() {
        return claimed;
    }

    /** Called by the heartbeat when the lease could not be extended. */
    void leaseLost() {
        leaseLost = true;
    }

    boolean isLeaseLost() {
        return leaseLost;
    }

    /** True once the run writes its last change (final status or hand-back): the heartbeat stops caring. */
    boolean isClosing() {
        return closing;
    }

    ExecutionStatus finalStatus() {
        return finalStatus;
    }

    End run() throws InterruptedException {
        List<WorkItem> work = claimed.items().stream().filter(WorkItem::needsWork).toList();
        for (int i = 0; i < work.size(); i++) {
            WorkItem item = work.get(i);
            boolean last = i == work.size() - 1;
            if (leaseLost) {
                return End.LEASE_LOST;
            }
            if (stopping.getAsBoolean()) {
                return release();
            }
            // one connection for the item: lock + write-ahead in one commit, outcome (+ finish) + unlock in another
            try (PurchaseLocks.Pinned pinned = locks.pin()) {
                WorkerStore.AttemptStart start = store.recordAttempt(claimed, item.position(), pinned,
                        item.purchaseLockKey(), disabled(item));
                if (start.lockBusy()) {
                    // never wait holding the claim: another purchase of this account and type is in flight
                    return handedBack(store.handBack(claimed, item.position(), 0, null, locks.retry(), "LOCK_BUSY",
                            "the purchase lock of item " + item.position() + " (" + item.purchaseLockKey()
                                    + ") is held by another purchase; handed back to try again shortly", null));
                }
                OwnedWrite write = store.checked(start.write(), "item-attempt", claimed, item.position());
                if (write == OwnedWrite.NOT_OWNER) {
                    leaseLost = true;
                    return End.LEASE_LOST;
                }
                if (write == OwnedWrite.OWNED_UNCHANGED) {
                    continue;
                }
                if (start.accountDisabled()) {
                    log.warn("execution {} item {}: the account of {} is disabled; the item failed without a cloud "
                            + "call", claimed.id(), item.position(), item.request().account());
                    continue;
                }
                ItemResult result;
                try {
                    result = purchase(item, start, pinned);
                } catch (AttemptInFlightException e) {
                    log.info("execution {} item {}: {}", claimed.id(), item.position(), e.getMessage());
                    return handedBack(store.handBack(claimed, item.position(), start.attempt(), e.retryAfter(), null,
                            "IN_FLIGHT_WAIT", "waiting: " + e.getMessage(), pinned));
                }
                metrics.purchase(result.result());
                closing = last;
                WorkerStore.Outcome outcome = store.recordOutcome(claimed, item.position(), start.attempt(), result,
                        last, pinned);
                if (outcome.write() == OwnedWrite.NOT_OWNER) {
                    leaseLost = true;
                    if (result.owned()) {
                        log.warn("execution {} item {}: {} {} was not recorded (lease lost); the new owner's guard "
                                        + "will find it", claimed.id(), item.position(), result.outcome().kind(),
                                result.outcome().commitmentId());
                    }
                    return End.LEASE_LOST;
                }
                if (outcome.finish() != null) {
                    return finished(outcome.finish());
                }
            }
        }
        if (leaseLost) {
            return End.LEASE_LOST;
        }
        closing = true;
        return finished(store.finish(claimed));
    }

    private End handedBack(OwnedWrite write) {
        closing = true;
        if (write == OwnedWrite.NOT_OWNER) {
            leaseLost = true;
            return End.LEASE_LOST;
        }
        metrics.handedBack();
        return End.HANDED_BACK;
    }

    /** How an item of a disabled account fails: never "nothing bought" when an earlier attempt may have bought. */
    private static ItemResult disabled(WorkItem item) {
        String account = "account " + item.request().account() + " is disabled";
        return item.mayHoldCommitment()
                ? ItemResult.failed(FailureKind.GUARD_UNDECIDED, account + ", so no guard ran; an earlier attempt may "
                        + "have bought this item: verify in the cloud console, enable the account, then re-drive")
                : ItemResult.failed(FailureKind.REJECTED, account + "; nothing bought: enable the account, then "
                        + "re-drive");
    }

    private End finished(WorkerStore.Finish finish) {
        if (finish.write() == OwnedWrite.APPLIED) {
            finalStatus = finish.status();
            if (log.isInfoEnabled()) {
                log.info("execution {} (token {}) {} by worker {}", claimed.id(), claimed.token().masked(),
                        finish.status(), claimed.worker());
            }
            return End.FINISHED;
        }
        leaseLost = finish.write() == OwnedWrite.NOT_OWNER;
        return End.LEASE_LOST;
    }

    private End release() {
        closing = true;
        store.release(claimed, "worker " + claimed.worker() + " shutting down; remaining items wait for the next worker");
        return End.RELEASED;
    }

    /**
     * Calls the executor with the item's attempts, the commitments other items record, how many identical
     * siblings of this execution are undecided (a lookup guard may assign their indistinguishable
     * commitments among them), and the purchase gate (ownership and lock proven on the lock's own connection right before the purchase request).
     * An {@link AttemptInFlightException} is thrown on: the caller hands the execution back.
     */
    private ItemResult purchase(WorkItem item, WorkerStore.AttemptStart start, PurchaseLocks.Pinned pinned) {
        PurchaseContext context = PurchaseContext.withAttempts(claimed.token().item(item.position()),
                        claimed.id().toString(), item.earlierAttempts())
                .withTakenCommitments(start.taken())
                .withUndecidedSiblings(start.undecidedSiblings())
                .withGate(() -> pinned.gate(claimed.id(), claimed.worker(), start.startedAt(), guardBudget))
                .withApprovedPrice(item.approvedPrice());
        try {
            CommitmentExecutor executor = executors.executor(item.request().type());
            ItemResult result = ItemResult.owned(executor.purchase(item.request(), context));
            if (log.isInfoEnabled()) {
                log.info("{}: {} {}{}", where(item), result.outcome().kind(), result.outcome().commitmentId(),
                        result.outcome().confirming() ? " (confirming)" : "");
            }
            return result;
        } catch (AttemptInFlightException e) {
            throw e;
        } catch (PurchaseException e) {
            String cause = (e.cloudCode() == null ? "" : e.cloudCode() + ": ") + e.getMessage();
            ItemResult result = undecidedAfterUnknown(item, e.kind(), cause,
                    () -> ItemResult.failed(e.kind(), explain(e, item)));
            log.warn("{}: {}", where(item), result.error());
            return result;
        } catch (ValidationException e) {
            return undecidedAfterUnknown(item, FailureKind.REJECTED, "invalid request: " + e.getMessage(),
                    () -> ItemResult.failed(FailureKind.REJECTED, "invalid request, nothing was bought: "
                            + e.getMessage()));
        } catch (IllegalStateException e) {
            if (!executors.supports(item.request().type())) {
                return undecidedAfterUnknown(item, FailureKind.REJECTED, e.getMessage(),
                        () -> ItemResult.failed(FailureKind.REJECTED, e.getMessage()));
            }
            return unexpected(where(item), e);
        } catch (RuntimeException e) {
            return unexpected(where(item), e);
        }
    }

    /** The item as log lines name it (built only for a line that is written). */
    private String where(WorkItem item) {
        return "execution " + claimed.id() + " item " + item.position() + " (" + item.request().type().slug()
                + ", token " + claimed.token().masked() + ")";
    }

    /**
     * The belt behind every executor: when an earlier attempt may have bought, a failure of this attempt
     * does not show that nothing was bought (the cloud may hold the commitment from before), so it is
     * recorded as undecided, never as "refused" or "try again".
     */
    private static ItemResult undecidedAfterUnknown(WorkItem item, FailureKind kind, String cause,
                                                    Supplier<ItemResult> otherwise) {
        if (!item.mayHoldCommitment() || kind == FailureKind.OUTCOME_UNKNOWN || kind == FailureKind.GUARD_UNDECIDED) {
            return otherwise.get();
        }
        return ItemResult.failed(FailureKind.GUARD_UNDECIDED, "an earlier attempt may have bought this item; this "
                + "attempt ended " + kind + " (" + thisCallOnly(cause) + "), which says nothing about what the earlier one bought: "
                + "verify in the cloud console, then re-drive (the guard decides)");
    }

    /**
     * A failure's own words, quoted in an item's error after an attempt that may have bought: "nothing was
     * bought" there speaks of this call only, and must not read as a verdict on the item.
     */
    static String thisCallOnly(String cause) {
        return cause == null ? null : cause.replace("nothing was bought", "this call bought nothing")
                .replace("Nothing was bought", "This call bought nothing");
    }

    private static ItemResult unexpected(String where, RuntimeException e) {
        log.error("{}: unexpected failure of the executor", where, e);
        return ItemResult.failed(FailureKind.OUTCOME_UNKNOWN, "unexpected failure (" + e.getClass().getSimpleName()
                + ": " + e.getMessage() + "): it may have been bought; a re-drive goes through the guard");
    }

    private static String explain(PurchaseException e, WorkItem item) {
        String cause = (e.cloudCode() == null ? "" : e.cloudCode() + ": ") + e.getMessage();
        return switch (e.kind()) {
            case GUARD_UNDECIDED -> item.mayHoldCommitment()
                    ? "an earlier attempt may have bought this item and the guard could not decide (" + thisCallOnly(cause)
                            + "): verify in the cloud console, then re-drive"
                    : "the guard could not look the commitment up (" + cause + "); nothing was bought: re-drive to retry";
            case OUTCOME_UNKNOWN -> "the purchase was sent but no answer came back (" + cause
                    + "): it may have been bought; a re-drive goes through the guard";
            case REJECTED -> "the cloud refused the purchase (" + cause + "); nothing was bought: fix the request";
            case TRANSIENT -> cause + "; nothing was bought: re-drive to retry";
            case PRICE_CHANGED -> cause;
        };
    }
}
