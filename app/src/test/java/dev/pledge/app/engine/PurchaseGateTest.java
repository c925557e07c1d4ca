package dev.pledge.app.engine;

import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.app.testing.CommitCountingDataSource;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.FailureKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, defect 6: right before the purchase request the worker proves, on the connection that
 * holds the purchase lock, that it still owns the execution, still holds the lock and is inside the
 * guard budget; otherwise nothing is sent. The check costs no commit of its own.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurchaseGateTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private InMemoryRdsCloud cloud;
    private CommitCountingDataSource counted;
    private EngineFixture f;

    @BeforeAll
    void start(TestSchema db) {
        cloud = new InMemoryRdsCloud();
        counted = new CommitCountingDataSource(db.dataSource());
        f = new EngineFixture(db, counted, new ExecutorRegistry(List.of(cloud)), EngineFixture.steady());
    }

    @AfterEach
    void releaseAll() {
        cloud.releaseGuard();
    }

    @AfterAll
    void stopThreads() {
        threads.shutdownNow();
    }

    private ExecutionItem item(UUID id) {
        return f.executions.get(id).orElseThrow().items().get(0);
    }

    @Test
    void with_the_gate_passed_a_single_item_execution_still_costs_three_commits() throws Exception {
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        int refusals = cloud.gateRefusals();
        long before = counted.commits();
        ClaimedExecution c = f.store.claim("w", Duration.ofSeconds(30)).orElseThrow();
        assertThat(f.run(c).run()).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(counted.commits() - before).isEqualTo(3);
        assertThat(cloud.gateRefusals()).isEqualTo(refusals);
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_worker_that_lost_its_claim_during_the_guard_sends_nothing() throws Exception {
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        int purchases = cloud.purchaseRequests();
        cloud.holdGuard();
        ClaimedExecution c = f.store.claim("worker-a", Duration.ofSeconds(30)).orElseThrow();
        Future<ExecutionRun.End> run = threads.submit(f.run(c)::run);
        cloud.awaitHeldGuard();
        // another worker took the execution over (its lease ran out meanwhile)
        f.sql.update("UPDATE executions SET claimed_by = 'worker-b' WHERE id = ?", id);
        cloud.releaseGuard();

        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(ExecutionRun.End.LEASE_LOST);
        assertThat(cloud.purchaseRequests()).isEqualTo(purchases);
        assertThat(item(id).status()).as("the new owner decides").isEqualTo(ItemStatus.PURCHASING);
        f.sql.update("UPDATE executions SET status = 'FAILED', claimed_by = NULL, lease_until = NULL WHERE id = ?", id);
    }

    @Test
    void a_guard_that_outlasts_its_budget_sends_nothing_and_says_so() throws Exception {
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        int purchases = cloud.purchaseRequests();
        cloud.holdGuard();
        ClaimedExecution c = f.store.claim("w", Duration.ofSeconds(30)).orElseThrow();
        ExecutionRun run = new ExecutionRun(c, f.store, f.locks, f.executors, f.metrics, () -> false,
                Duration.ofMillis(1));
        Future<ExecutionRun.End> ended = threads.submit(run::run);
        cloud.awaitHeldGuard();
        // the guard's budget (1 ms after the attempt started, by the database's clock) has passed
        await().atMost(Duration.ofSeconds(10)).until(() -> f.sql.queryForObject("SELECT clock_timestamp() > "
                + "started_at + interval '1 millisecond' FROM item_attempts WHERE execution_id = ?", Boolean.class, id));
        cloud.releaseGuard();

        assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo(ExecutionRun.End.FINISHED);
        assertThat(cloud.purchaseRequests()).isEqualTo(purchases);
        ExecutionItem after = item(id);
        assertThat(after.failureKind()).isEqualTo(FailureKind.GUARD_UNDECIDED);
        assertThat(after.error()).contains("guard budget").contains("nothing was sent");
        assertThat(f.sql.queryForObject("SELECT result FROM item_attempts WHERE execution_id = ?", String.class, id))
                .isEqualTo("GUARD_UNDECIDED");
    }
}
