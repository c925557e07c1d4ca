package dev.pledge.app.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Seals new audit rows into the chain every second, on every replica (the database lets one sealer
 * in at a time, so replicas take turns). Writers never wait for the chain.
 */
@Component
class AuditSealer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);
    private final AuditChain chain;
    private volatile ScheduledExecutorService timer;

    AuditSealer(AuditChain chain) {
        this.chain = chain;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-sealer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sealOnce, 1, 1, TimeUnit.SECONDS);
    }

    private void sealOnce() {
        try {
            chain.sealAll();
        } catch (RuntimeException e) {
            log.warn("sealing the audit chain failed (will retry in 1 s): {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
