package dev.pledge.app.plan;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs due plan cycles and auto-approvals every {@code pledge.plans.poll-interval} (default 60s), on one
 * replica at a time (ShedLock); the cycles' Idempotency-Keys make a second run harmless anyway.
 */
@Configuration
@ConditionalOnProperty(name = "pledge.plans.enabled", havingValue = "true", matchIfMissing = true)
class PlanSchedule {
    private static final Logger log = LoggerFactory.getLogger(PlanSchedule.class);

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService planCycleSchedule(Plans plans, @Qualifier("sweepLockProvider") LockProvider locks,
                                          @Value("${pledge.plans.poll-interval:60s}") Duration every) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("pledge.plans.poll-interval must be a positive duration, was " + every);
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pledge-plan-schedule");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> {
            var lock = locks.lock(new LockConfiguration(Instant.now(), "pledge-plans", Duration.ofMinutes(30),
                    Duration.ZERO));
            if (lock.isEmpty()) {
                return;
            }
            try {
                plans.runDue();
                plans.autoApprove(Instant.now());
            } catch (RuntimeException e) {
                log.warn("plan schedule failed", e);
            } finally {
                lock.get().unlock();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }
}
