package dev.pledge.app.engine;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the sweeps on a fixed delay (a thread each, so a slow cloud answer to the confirmation sweep never
 * delays the lease sweep), each cycle under a ShedLock lock (database time) so one replica
 * sweeps at a time. A cycle's own deadline is shorter than its interval, so it never overlaps the next.
 */
public class SweepSchedule implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SweepSchedule.class);

    private final LockingTaskExecutor locks;
    private final LeaseSweep leaseSweep;
    private final ApprovalExpirySweep approvalSweep;
    private final ConfirmationSweep confirmationSweep;
    private final EngineProperties properties;
    private ScheduledExecutorService scheduler;

    SweepSchedule(LockingTaskExecutor locks, LeaseSweep leaseSweep, ApprovalExpirySweep approvalSweep,
                  ConfirmationSweep confirmationSweep, EngineProperties properties) {
        this.confirmationSweep = confirmationSweep;
        this.locks = locks;
        this.leaseSweep = leaseSweep;
        this.approvalSweep = approvalSweep;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "pledge-sweeps");
            t.setDaemon(true);
            return t;
        });
        schedule(LeaseSweep.NAME, properties.leaseSweepInterval(), leaseSweep::cycle);
        schedule(ApprovalExpirySweep.NAME, properties.approvalSweepInterval(), approvalSweep::cycle);
        schedule(ConfirmationSweep.NAME, properties.confirmationSweepInterval(), confirmationSweep::cycle);
    }

    private void schedule(String name, Duration interval, Runnable cycle) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                locks.executeWithLock(cycle, new LockConfiguration(Instant.now(), name, interval, interval.dividedBy(2)));
            } catch (RuntimeException e) {
                log.error("{} failed; next cycle in {}", name, interval, e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
