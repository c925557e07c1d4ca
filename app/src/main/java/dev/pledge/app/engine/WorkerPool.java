package dev.pledge.app.engine;

import dev.pledge.common.spi.ExecutorRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The worker threads of this process. Each claims an APPROVED execution, runs it, and otherwise
 * waits for a LISTEN/NOTIFY wake-up or the poll interval. On shutdown, in-flight items finish and the
 * execution is handed back; what does not finish within the grace period stays leased and the lease
 * sweep returns it.
 */
public class WorkerPool implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final WorkerStore store;
    private final PurchaseLocks locks;
    private final ExecutorRegistry executors;
    private final EngineMetrics metrics;
    private final EngineProperties properties;
    private final WakeUpSignal wakeUp;
    private final Duration guardBudget;
    private final String processId;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private LeaseHeartbeat heartbeat;

    WorkerPool(WorkerStore store, PurchaseLocks locks, ExecutorRegistry executors, EngineMetrics metrics,
               EngineProperties properties, WakeUpSignal wakeUp, Duration guardBudget) {
        this.guardBudget = guardBudget;
        this.store = store;
        this.locks = locks;
        this.executors = executors;
        this.metrics = metrics;
        this.properties = properties;
        this.wakeUp = wakeUp;
        this.processId = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        stopping = false;
        heartbeat = new LeaseHeartbeat(store, metrics, properties.lease(), properties.heartbeat());
        for (int i = 0; i < properties.workers(); i++) {
            String worker = processId + "/w" + i;
            Thread t = new Thread(() -> work(worker), "pledge-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        log.info("{} worker(s) started as {} (lease {}, heartbeat {}, poll {})", properties.workers(), processId,
                properties.lease(), properties.heartbeat(), properties.pollInterval());
    }

    private void work(String worker) {
        boolean handedBack = false;
        while (!stopping) {
            try {
                List<ClaimedExecution> claimed = store.claim(worker, properties.lease(), properties.claimBatch(),
                        properties.workers());
                if (!claimed.isEmpty()) {
                    handedBack |= execute(claimed);
                } else {
                    // an execution handed back is claimable again soon: look again then, not a poll later
                    wakeUp.await(handedBack && properties.lockBusyBackoff().compareTo(properties.pollInterval()) < 0
                            ? properties.lockBusyBackoff() : properties.pollInterval());
                    handedBack = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                metrics.workerError();
                log.error("worker {} failed; retrying after {}", worker, properties.pollInterval(), e);
                try {
                    wakeUp.await(properties.pollInterval());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Runs what one claim took, in claim order, each execution on its own (its own write-ahead records,
     * outcomes and final status). Every run is registered with the heartbeat from the start, so the
     * leases of those still waiting their turn are extended too; one that is waiting when shutdown
     * begins is released by its run, which finds {@code stopping} before its first item. Returns
     * whether any was handed back.
     */
    private boolean execute(List<ClaimedExecution> claimed) throws InterruptedException {
        List<ExecutionRun> runs = new ArrayList<>(claimed.size());
        for (ClaimedExecution c : claimed) {
            metrics.claimed(c.approvedAt() == null || c.claimedAt() == null ? null
                    : Duration.between(c.approvedAt(), c.claimedAt()));
            ExecutionRun run = new ExecutionRun(c, store, locks, executors, metrics, () -> stopping, guardBudget);
            runs.add(run);
            heartbeat.register(run);
        }
        boolean handedBack = false;
        int next = 0;
        try {
            while (next < runs.size()) {
                ExecutionRun run = runs.get(next++);
                try {
                    handedBack |= run.run() == ExecutionRun.End.HANDED_BACK;
                } finally {
                    heartbeat.unregister(run);
                }
            }
        } finally {
            // a run that threw (database unreachable, interrupted): the ones that never started go back to
            // APPROVED now, uncounted, rather than wait for their leases to run out and lose a claim each
            for (int i = next; i < runs.size(); i++) {
                ExecutionRun waiting = runs.get(i);
                heartbeat.unregister(waiting);
                try {
                    store.release(waiting.claimed(), "worker " + waiting.claimed().worker() + " failed before "
                            + "starting this execution; it waits for the next worker");
                } catch (RuntimeException e) {
                    log.warn("could not release execution {} after a failure; the lease sweep returns it",
                            waiting.claimed().id(), e);
                }
            }
        }
        return handedBack;
    }

    @Override
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        stopping = true;
        wakeUp.wakeAll();
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long stillBusy = threads.stream().filter(Thread::isAlive).count();
        if (stillBusy > 0) {
            log.warn("{} worker(s) still inside a purchase after {}; their executions stay leased and the lease "
                    + "sweep returns them", stillBusy, properties.shutdownGrace());
        }
        threads.clear();
        heartbeat.close();
        heartbeat = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return !threads.isEmpty();
    }

    /** Stop workers before the database pool and the executors go away. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }

    /** True from the moment {@link #stop()} begins until the next start. */
    boolean isStopping() {
        return stopping;
    }

    /** Wakes idle workers now (used by the approval listener). */
    void wakeUp() {
        wakeUp.wakeAll();
    }
}
