package dev.pledge.app.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Extends the lease of every execution this process is running, every {@code heartbeat}. A lease
 * that cannot be extended means another worker owns the execution: its run is told to stop writing.
 */
class LeaseHeartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeat.class);

    private final WorkerStore store;
    private final EngineMetrics metrics;
    private final Duration lease;
    private final Set<ExecutionRun> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;

    LeaseHeartbeat(WorkerStore store, EngineMetrics metrics, Duration lease, Duration interval) {
        this.store = store;
        this.metrics = metrics;
        this.lease = lease;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pledge-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void register(ExecutionRun run) {
        running.add(run);
    }

    void unregister(ExecutionRun run) {
        running.remove(run);
    }

    void beat() {
        for (ExecutionRun run : running) {
            if (run.isClosing()) {
                continue;
            }
            ClaimedExecution c = run.claimed();
            try {
                // a run that wrote its final status meanwhile released the claim itself: not a lost lease
                if (!store.heartbeat(c.id(), c.worker(), lease) && !run.isClosing()) {
                    run.leaseLost();
                    running.remove(run);
                    metrics.leaseLost("heartbeat");
                    log.warn("worker {} lost execution {} (token {}): its lease was taken over", c.worker(), c.id(),
                            c.token().masked());
                }
            } catch (RuntimeException e) {
                // the lease may run out; the sweep then hands the execution to another worker
                log.error("heartbeat for execution {} failed", c.id(), e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
