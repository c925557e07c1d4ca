package dev.pledge.app.insight;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.engine.CloudProperties;
import dev.pledge.common.insight.InsightRegistry;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the read side: sources through the common SPI ({@link InsightRegistry#load}), the store, the refresher,
 * and the scheduled refresh (one replica at a time, by ShedLock on database time).
 */
@Configuration(proxyBeanMethods = false)
public class InsightConfiguration {
    private static final Logger log = LoggerFactory.getLogger(InsightConfiguration.class);
    static final String LOCK = "insight-refresh";

    @Bean(destroyMethod = "close")
    InsightRegistry insightRegistry(CloudProperties cloud, dev.pledge.app.account.AccountCredentialSource credentials) {
        return InsightRegistry.load(cloud.toSettings(credentials, Clock.systemUTC()));
    }

    @Bean
    InsightStore insightStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
        return new InsightStore(jdbc, tx);
    }

    @Bean
    InsightRefresher insightRefresher(InsightRegistry registry, InsightStore store, AccountService accounts,
                                      InsightProperties properties) {
        return new InsightRefresher(registry, store, accounts, properties);
    }

    @Bean
    RefreshLock refreshLock(LockProvider sweepLockProvider) {
        return new RefreshLock(sweepLockProvider);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService insightSchedule(InsightRefresher refresher, RefreshLock lock,
                                             InsightProperties properties) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pledge-insight-schedule");
            t.setDaemon(true);
            return t;
        });
        long every = properties.refreshInterval().toMillis();
        s.scheduleWithFixedDelay(() -> {
            try {
                if (lock.run(() -> refresher.refreshAll(p -> { })).isEmpty()) {
                    log.debug("scheduled insight refresh skipped: another replica runs it");
                }
            } catch (RuntimeException e) {
                log.warn("scheduled insight refresh failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return s;
    }

    /** One refresh at a time across replicas. */
    public static final class RefreshLock {
        private final LockProvider provider;

        RefreshLock(LockProvider provider) {
            this.provider = provider;
        }

        /** Runs {@code work} under the lock; empty when another refresh holds it. */
        public <T> Optional<T> run(java.util.function.Supplier<T> work) {
            var lock = provider.lock(new LockConfiguration(Instant.now(), LOCK, Duration.ofHours(2), Duration.ZERO));
            if (lock.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(work.get());
            } finally {
                lock.get().unlock();
            }
        }
    }

}
