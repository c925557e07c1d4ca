package dev.pledge.app.engine;

import dev.pledge.app.account.AccountCredentialSource;
import dev.pledge.app.audit.AuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import dev.pledge.common.spi.ExecutorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Wires the engine. The executors come only through the common SPI ({@link ExecutorRegistry#load}),
 * with settings from {@code pledge.cloud.*} and credentials from the accounts table. Workers, the
 * approval listener and the sweeps run unless {@code pledge.engine.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    EngineMetrics engineMetrics(ObjectProvider<MeterRegistry> registry) {
        return new EngineMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean(destroyMethod = "close")
    ExecutorRegistry executorRegistry(CloudProperties cloud, AccountCredentialSource credentials) {
        return ExecutorRegistry.load(cloud.toSettings(credentials, Clock.systemUTC()));
    }

    @Bean
    WakeUpSignal wakeUpSignal() {
        return new WakeUpSignal();
    }

    @Bean
    WorkerStore workerStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit,
                            EngineMetrics metrics) {
        return new WorkerStore(jdbc, tx, audit, metrics);
    }

    @Bean
    PurchaseLocks purchaseLocks(DataSource dataSource, EngineProperties properties) {
        return new PurchaseLocks(dataSource, properties.lockBusyBackoff());
    }

    @Bean
    LeaseSweep leaseSweep(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit,
                          EngineMetrics metrics, EngineProperties properties) {
        return new LeaseSweep(jdbc, tx, audit, metrics, new SweepCycle(Clock.systemUTC()), properties);
    }

    @Bean
    ApprovalExpirySweep approvalExpirySweep(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit,
                                            EngineMetrics metrics, EngineProperties properties) {
        return new ApprovalExpirySweep(jdbc, tx, audit, metrics, new SweepCycle(Clock.systemUTC()), properties);
    }

    @Bean
    ConfirmationSweep confirmationSweep(NamedParameterJdbcTemplate jdbc, ExecutorRegistry executors,
                                        EngineMetrics metrics, EngineProperties properties) {
        return new ConfirmationSweep(jdbc, executors, metrics, new SweepCycle(Clock.systemUTC()), properties);
    }

    @Bean
    LockProvider sweepLockProvider(JdbcTemplate jdbc) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc)
                .usingDbTime()
                .build());
    }

    @Bean
    @ConditionalOnProperty(prefix = "pledge.engine", name = "enabled", havingValue = "true", matchIfMissing = true)
    WorkerPool workerPool(WorkerStore store, PurchaseLocks locks, ExecutorRegistry executors, EngineMetrics metrics,
                          EngineProperties properties, WakeUpSignal wakeUp, DataSource dataSource,
                          CloudProperties cloud) {
        warnIfPoolTooSmall(dataSource, properties.workers());
        return new WorkerPool(store, locks, executors, metrics, properties, wakeUp,
                cloud.toSettings(null, Clock.systemUTC()).guardBudget());
    }

    /**
     * Each worker uses one connection at a time (the claim's, then the item's pinned purchase-lock
     * connection, on which all its writes run); plus listener, heartbeat, sweeps.
     */
    private static void warnIfPoolTooSmall(DataSource dataSource, int workers) {
        int needed = workers + 3;
        if (dataSource instanceof HikariDataSource hikari && hikari.getMaximumPoolSize() < needed) {
            log.warn("spring.datasource.hikari.maximum-pool-size is {} but pledge.engine.workers={} can use {} "
                    + "connections; workers will wait for connections", hikari.getMaximumPoolSize(), workers, needed);
        }
    }

    @Bean
    @ConditionalOnProperty(prefix = "pledge.engine", name = "enabled", havingValue = "true", matchIfMissing = true)
    ApprovalListener approvalListener(DataSource dataSource, WakeUpSignal wakeUp, EngineProperties properties) {
        return new ApprovalListener(dataSource, wakeUp, properties.pollInterval());
    }

    @Bean
    @ConditionalOnProperty(prefix = "pledge.engine", name = "enabled", havingValue = "true", matchIfMissing = true)
    SweepSchedule sweepSchedule(LockProvider sweepLockProvider, LeaseSweep leaseSweep,
                                ApprovalExpirySweep approvalExpirySweep, ConfirmationSweep confirmationSweep,
                                EngineProperties properties) {
        return new SweepSchedule(new DefaultLockingTaskExecutor(sweepLockProvider), leaseSweep, approvalExpirySweep,
                confirmationSweep, properties);
    }
}
