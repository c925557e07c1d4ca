package dev.pledge.app.engine;

import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(PostgresExtension.class)
class SweepTest {

    /** A clock that moves forward by {@code step} every time it is read. */
    static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");
        private final Duration step;

        SteppingClock(Duration step) {
            this.step = step;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plus(step);
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static EngineProperties batchOf3(Duration approvalTtl) {
        EngineProperties p = EngineFixture.properties(Duration.ofSeconds(2), Duration.ofMillis(200), 3, approvalTtl);
        return new EngineProperties(true, 1, p.lease(), p.heartbeat(), p.pollInterval(), p.maxClaims(),
                p.leaseSweepInterval(), p.leaseSweepDeadline(), p.approvalTtl(), Duration.ofSeconds(1),
                Duration.ofMillis(500), 3, p.lockBusyBackoff(), p.shutdownGrace(), p.confirmationSweepInterval(),
                p.confirmationSweepDeadline(), p.claimBatch());
    }

    @Test
    void a_sweep_stops_at_its_deadline_and_the_next_cycle_picks_up_the_rest(TestSchema db) {
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(new InMemoryRdsCloud())),
                batchOf3(Duration.ofMillis(1)));
        List<UUID> stale = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stale.add(f.pendingExecution(f.awsAccount(), 1));
        }
        Object[] ids = {stale.toArray(UUID[]::new)};
        await().atMost(Duration.ofSeconds(5)).until(() -> f.sql.queryForObject(
                "SELECT count(*) FROM executions WHERE id = ANY (?) AND created_at < now() - interval '1 millisecond'",
                Integer.class, ids) == 10);
        // each clock read is 200 ms later: a 500 ms deadline leaves room for two batches of 3 per cycle
        ApprovalExpirySweep sweep = f.approvalSweep(new SteppingClock(Duration.ofMillis(200)));

        SweepCycle.Result first = sweep.cycle();

        assertThat(first).isEqualTo(new SweepCycle.Result(6, 2, true));
        assertThat(expired(f, ids)).isEqualTo(6);

        SweepCycle.Result second = sweep.cycle();

        assertThat(second).isEqualTo(new SweepCycle.Result(4, 2, false));
        assertThat(expired(f, ids)).isEqualTo(10);
        assertThat(f.sql.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'EXPIRE' "
                + "AND actor = 'system:approval-expiry' AND execution_id = ANY (?)", Integer.class, ids)).isEqualTo(10);
    }

    @Test
    void the_approval_sweep_leaves_executions_younger_than_the_ttl_and_approved_ones_alone(TestSchema db) {
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(new InMemoryRdsCloud())),
                batchOf3(Duration.ofHours(1)));
        UUID young = f.pendingExecution(f.awsAccount(), 1);

        SweepCycle.Result r = f.approvalSweep(Clock.systemUTC()).cycle();

        assertThat(r.cutOff()).isFalse();
        assertThat(f.status(young)).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void one_replica_at_a_time_holds_a_sweep_lock_in_database_time(TestSchema db) throws Exception {
        JdbcTemplateLockProvider provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration
                .builder().withJdbcTemplate(db.jdbc()).usingDbTime().build());
        DefaultLockingTaskExecutor replicaA = new DefaultLockingTaskExecutor(provider);
        DefaultLockingTaskExecutor replicaB = new DefaultLockingTaskExecutor(new JdbcTemplateLockProvider(
                JdbcTemplateLockProvider.Configuration.builder().withJdbcTemplate(db.jdbc()).usingDbTime().build()));
        CountDownLatch aInside = new CountDownLatch(1);
        CountDownLatch bTried = new CountDownLatch(1);
        AtomicBoolean bRan = new AtomicBoolean();

        Thread a = new Thread(() -> replicaA.executeWithLock((Runnable) () -> {
            aInside.countDown();
            try {
                bTried.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, new LockConfiguration(Instant.now(), LeaseSweep.NAME, Duration.ofSeconds(30), Duration.ZERO)));
        a.start();
        assertThat(aInside.await(10, TimeUnit.SECONDS)).isTrue();
        replicaB.executeWithLock((Runnable) () -> bRan.set(true),
                new LockConfiguration(Instant.now(), LeaseSweep.NAME, Duration.ofSeconds(30), Duration.ZERO));
        bTried.countDown();
        a.join(10_000);

        assertThat(bRan).as("the second replica skipped the cycle").isFalse();
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM shedlock WHERE name = ?", Integer.class,
                LeaseSweep.NAME)).isEqualTo(1);
    }

    private static int expired(EngineFixture f, Object[] ids) {
        return f.sql.queryForObject("SELECT count(*) FROM executions WHERE id = ANY (?) AND status = 'EXPIRED'",
                Integer.class, ids);
    }
}
