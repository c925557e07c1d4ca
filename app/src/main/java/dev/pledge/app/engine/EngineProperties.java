package dev.pledge.app.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code pledge.engine.*}: the worker pool, leases and sweeps. Checked when bound: a zero or
 * negative duration, or an inconsistent pair, refuses to start with a message naming the property.
 *
 * @param enabled                 run workers and sweeps in this process
 * @param workers                 worker threads; each runs one execution at a time
 * @param lease                   how long a claim lasts without a heartbeat
 * @param heartbeat               how often a worker extends its lease; shorter than {@code lease}
 * @param pollInterval            how often idle workers look for approved work when no notification comes
 * @param maxClaims               claims of one attempt after which an expired lease fails the execution
 * @param leaseSweepInterval      how often expired leases are returned; default a quarter of {@code lease}
 *                                (at least 1 s, at most 30 s), so a dead worker's execution is back in
 *                                the queue within 1.25 x lease
 * @param leaseSweepDeadline      time budget of one lease sweep cycle; shorter than its interval;
 *                                default two thirds of it
 * @param approvalTtl             how long an execution may wait for approval before it expires
 * @param approvalSweepInterval   how often expired approvals are swept
 * @param approvalSweepDeadline   time budget of one approval sweep cycle; shorter than its interval
 * @param sweepBatchSize          rows changed per sweep statement
 * @param lockBusyBackoff         when the (account, commitment type) purchase lock is busy, the worker hands
 *                                the execution back and it is claimable again after this long; the worker
 *                                takes other work meanwhile
 * @param shutdownGrace           how long shutdown waits for in-flight items before leaving them leased
 * @param confirmationSweepInterval how often the cloud is asked about purchases it has not finished (CONFIRMING)
 * @param confirmationSweepDeadline time budget of one confirmation cycle; shorter than its interval;
 *                                default two thirds of it
 * @param claimBatch              most executions a worker claims in one statement when the backlog is deep
 *                                (at most the APPROVED backlog divided by {@code workers}); it runs them in
 *                                order, each with its own write-ahead record and outcome; 1 claims one at a time
 */
@ConfigurationProperties("pledge.engine")
public record EngineProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("4") int workers,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("3") int maxClaims,
        Duration leaseSweepInterval,
        Duration leaseSweepDeadline,
        @DefaultValue("7d") Duration approvalTtl,
        @DefaultValue("60s") Duration approvalSweepInterval,
        @DefaultValue("40s") Duration approvalSweepDeadline,
        @DefaultValue("100") int sweepBatchSize,
        @DefaultValue("200ms") Duration lockBusyBackoff,
        @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue("60s") Duration confirmationSweepInterval,
        Duration confirmationSweepDeadline,
        @DefaultValue("8") int claimBatch) {

    private static final String P = "pledge.engine.";

    public EngineProperties {
        between("workers", workers, 1, 256);
        between("claim-batch", claimBatch, 1, 100);
        positive("lease", lease);
        positive("heartbeat", heartbeat);
        positive("poll-interval", pollInterval);
        between("max-claims", maxClaims, 1, 100);
        if (leaseSweepInterval == null && lease != null && !lease.isNegative() && !lease.isZero()) {
            leaseSweepInterval = defaultLeaseSweepInterval(lease);
        }
        if (leaseSweepDeadline == null && leaseSweepInterval != null) {
            leaseSweepDeadline = leaseSweepInterval.multipliedBy(2).dividedBy(3);
        }
        positive("lease-sweep-interval", leaseSweepInterval);
        positive("lease-sweep-deadline", leaseSweepDeadline);
        positive("approval-ttl", approvalTtl);
        positive("approval-sweep-interval", approvalSweepInterval);
        positive("approval-sweep-deadline", approvalSweepDeadline);
        between("sweep-batch-size", sweepBatchSize, 1, 10_000);
        positive("lock-busy-backoff", lockBusyBackoff);
        positive("shutdown-grace", shutdownGrace);
        positive("confirmation-sweep-interval", confirmationSweepInterval);
        if (confirmationSweepDeadline == null) {
            confirmationSweepDeadline = confirmationSweepInterval.multipliedBy(2).dividedBy(3);
        }
        positive("confirmation-sweep-deadline", confirmationSweepDeadline);
        shorter("confirmation-sweep-deadline", confirmationSweepDeadline, "confirmation-sweep-interval",
                confirmationSweepInterval);
        shorter("heartbeat", heartbeat, "lease", lease);
        shorter("lease-sweep-deadline", leaseSweepDeadline, "lease-sweep-interval", leaseSweepInterval);
        shorter("approval-sweep-deadline", approvalSweepDeadline, "approval-sweep-interval", approvalSweepInterval);
    }

    /** A quarter of the lease, between 1 s and 30 s. */
    static Duration defaultLeaseSweepInterval(Duration lease) {
        Duration quarter = lease.dividedBy(4);
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(30);
        return quarter.compareTo(min) < 0 ? min : quarter.compareTo(max) > 0 ? max : quarter;
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(P + name + " must be a positive duration (e.g. 30s), was " + value);
        }
    }

    private static void between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(P + name + " must be " + min + "-" + max + ", was " + value);
        }
    }

    private static void shorter(String name, Duration value, String otherName, Duration other) {
        if (value.compareTo(other) >= 0) {
            throw new IllegalArgumentException(P + name + " (" + value + ") must be shorter than " + P + otherName
                    + " (" + other + ")");
        }
    }
}
