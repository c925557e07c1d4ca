package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.audit.AuditEvent;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(PostgresExtension.class)
class LeaseTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static void awaitLeaseExpired(EngineFixture f, UUID id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> f.sql.queryForObject(
                "SELECT lease_until < now() FROM executions WHERE id = ?", Boolean.class, id));
    }

    @Test
    void a_worker_whose_lease_was_taken_over_cannot_write_its_completion(TestSchema db) throws Exception {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)),
                EngineFixture.properties(Duration.ofMillis(500), Duration.ofMillis(100), 3, Duration.ofDays(7)));
        Account account = f.awsAccount();
        UUID id = f.approvedExecution(account, 1);
        cloud.holdPurchases();

        // worker A claims and hangs inside the purchase without heartbeating
        ClaimedExecution a = f.store.claim("worker-a", f.properties.lease()).orElseThrow();
        Future<ExecutionRun.End> runA = threads.submit(f.run(a)::run);
        cloud.awaitHeldPurchase();
        awaitLeaseExpired(f, id);
        assertThat(f.leaseSweep(Clock.systemUTC()).batch(100)).isEqualTo(1);

        // worker B takes over; A can no longer finish the execution
        ClaimedExecution b = f.store.claim("worker-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(b.id()).isEqualTo(id);
        assertThat(f.store.finish(a).write()).isEqualTo(OwnedWrite.NOT_OWNER);
        assertThat(f.status(id)).isEqualTo("RUNNING");

        // A's purchase answers; A can record nothing. B runs once A's purchase lock is free (a worker that
        // finds it busy hands the execution back instead of waiting: see TransactionsPerExecutionTest)
        cloud.release();
        assertThat(runA.get(20, TimeUnit.SECONDS)).isEqualTo(ExecutionRun.End.LEASE_LOST);
        Future<ExecutionRun.End> runB = threads.submit(f.run(b)::run);
        assertThat(runB.get(20, TimeUnit.SECONDS)).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.commitments()).isEqualTo(1);
        assertThat(f.sql.queryForObject("SELECT outcome FROM items WHERE execution_id = ?", String.class, id))
                .as("B's guard found what A bought").isEqualTo("ALREADY_OWNED");
        List<AuditEvent> events = f.executions.auditTrail(id);
        assertThat(events).filteredOn(e -> e.action().equals("FINISH")).extracting(AuditEvent::actor)
                .containsExactly("worker:worker-b");
        assertThat(events).filteredOn(e -> e.action().equals("ITEM_OUTCOME_UNRECORDED")).extracting(AuditEvent::actor)
                .containsExactly("worker:worker-a");
        assertThat(f.counter(EngineMetrics.LEASE_LOST)).isEqualTo(2.0); // A's finish above and A's outcome
        assertThat(f.counter(EngineMetrics.OWNED_WRITE_UNCHANGED)).isZero();
    }

    @Test
    void a_worker_whose_heartbeat_ran_during_a_long_purchase_can_write_its_completion(TestSchema db) throws Exception {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)),
                EngineFixture.properties(Duration.ofSeconds(2), Duration.ofMillis(100), 3, Duration.ofDays(7)));
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        cloud.holdPurchases();
        ClaimedExecution a = f.store.claim("worker-a", f.properties.lease()).orElseThrow();
        ExecutionRun run = f.run(a);
        try (LeaseHeartbeat heartbeat = new LeaseHeartbeat(f.store, f.metrics, f.properties.lease(),
                f.properties.heartbeat())) {
            heartbeat.register(run);
            Future<ExecutionRun.End> end = threads.submit(run::run);
            cloud.awaitHeldPurchase();
            Timestamp firstLease = f.sql.queryForObject("SELECT lease_until FROM executions WHERE id = ?",
                    Timestamp.class, id);

            // the purchase outlives the first lease; the heartbeat keeps it
            await().atMost(Duration.ofSeconds(20)).until(() -> f.sql.queryForObject(
                    "SELECT now() > ? FROM executions WHERE id = ?", Boolean.class, firstLease, id));
            assertThat(f.leaseSweep(Clock.systemUTC()).batch(100)).isZero();
            assertThat(f.sql.queryForObject("SELECT claimed_by FROM executions WHERE id = ?", String.class, id))
                    .isEqualTo("worker-a");

            cloud.release();
            assertThat(end.get(20, TimeUnit.SECONDS)).isEqualTo(ExecutionRun.End.FINISHED);
        }
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(f.counter(EngineMetrics.LEASE_LOST)).isZero();
        assertThat(cloud.commitments()).isEqualTo(1);
    }

    @Test
    void a_write_that_finds_the_row_owned_but_changes_nothing_is_counted_as_an_error(TestSchema db) {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.fast());
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        ClaimedExecution c = f.store.claim("worker-a", Duration.ofSeconds(30)).orElseThrow();
        WorkerStore.AttemptStart start = f.store.recordAttempt(c, 0);

        // an outcome for an attempt that is not the item's current one: owned, but nothing to change
        OwnedWrite write = f.store.recordOutcome(c, 0, start.attempt() + 5,
                ItemResult.owned(dev.pledge.common.spi.PurchaseOutcome.bought("ri-1", "k")));

        assertThat(write).isEqualTo(OwnedWrite.OWNED_UNCHANGED);
        assertThat(f.counter(EngineMetrics.OWNED_WRITE_UNCHANGED)).isEqualTo(1.0);
        assertThat(f.sql.queryForObject("SELECT status FROM items WHERE execution_id = ?", String.class, id))
                .isEqualTo("PURCHASING");
        // finish the execution so the schema holds no claimable work for the other tests
        assertThat(f.store.recordOutcome(c, 0, start.attempt(),
                ItemResult.owned(dev.pledge.common.spi.PurchaseOutcome.bought("ri-1", "k")))).isEqualTo(OwnedWrite.APPLIED);
        assertThat(f.store.finish(c).status()).isEqualTo(dev.pledge.app.execution.ExecutionStatus.SUCCEEDED);
    }
}
