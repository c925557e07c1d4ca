package dev.pledge.app.engine;

import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims in batches (issue 18): with a deep backlog one statement claims several executions, oldest
 * first, each with its own CLAIM row, lease and items, and each runs on its own. A schema of its own:
 * the batches leave bought items behind that ClaimingTest's counts must not see.
 */
@ExtendWith(PostgresExtension.class)
class BatchClaimTest {

    @Test
    void a_deep_backlog_is_claimed_in_batches_oldest_first_each_with_its_own_claim_row_lease_and_items(TestSchema db)
            throws Exception {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.fast());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(f.approvedExecution(f.awsAccount(), 2));
        }

        // 10 waiting, 4 workers: at most 10 / 4 = 2 for this one, although it may take 8
        List<ClaimedExecution> two = f.store.claim("w1", Duration.ofSeconds(30), 8, 4);
        // 8 waiting, 1 worker: as many as it may take, 3
        List<ClaimedExecution> three = f.store.claim("w2", Duration.ofSeconds(30), 3, 1);

        assertThat(two).extracting(ClaimedExecution::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(three).extracting(ClaimedExecution::id).containsExactly(ids.get(2), ids.get(3), ids.get(4));
        List<ClaimedExecution> batch = new ArrayList<>(two);
        batch.addAll(three);
        assertThat(batch).allSatisfy(c -> assertThat(c.items()).extracting(WorkItem::position).containsExactly(0, 1));
        Object[] claimed = {ids.subList(0, 5).toArray(UUID[]::new)};
        Object[] waiting = {ids.subList(5, 10).toArray(UUID[]::new)};
        assertThat(f.sql.queryForObject("SELECT count(*) FROM executions WHERE id = ANY (?) AND status = 'RUNNING' "
                + "AND claimed_by IN ('w1', 'w2') AND lease_until > now() AND claims = 1", Integer.class, claimed))
                .isEqualTo(5);
        assertThat(f.sql.queryForObject("SELECT count(DISTINCT execution_id) FROM audit_events WHERE action = 'CLAIM' "
                + "AND execution_id = ANY (?) AND to_status = 'RUNNING'", Integer.class, claimed)).isEqualTo(5);
        assertThat(f.sql.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'CLAIM' "
                + "AND execution_id = ANY (?)", Integer.class, claimed)).isEqualTo(5);
        assertThat(f.sql.queryForList("SELECT DISTINCT status FROM executions WHERE id = ANY (?)", String.class,
                waiting)).containsExactly("APPROVED");

        for (ClaimedExecution c : batch) {
            assertThat(f.run(c).run()).isEqualTo(ExecutionRun.End.FINISHED);
        }
        assertThat(f.sql.queryForList("SELECT DISTINCT status FROM executions WHERE id = ANY (?)", String.class,
                claimed)).containsExactly("SUCCEEDED");
        assertThat(cloud.commitments()).isEqualTo(10);
        assertThat(f.sql.queryForObject("SELECT count(*) FROM item_attempts WHERE execution_id = ANY (?)",
                Integer.class, claimed)).as("one write-ahead record per item").isEqualTo(10);

        // 5 waiting, 8 workers: a shallow queue is spread over the workers, one each
        List<ClaimedExecution> one = f.store.claim("w3", Duration.ofSeconds(30), 8, 8);
        assertThat(one).extracting(ClaimedExecution::id).containsExactly(ids.get(5));

        // the schema is the class's: leave nothing claimable for the other tests
        assertThat(f.store.release(one.get(0), "test over")).isEqualTo(OwnedWrite.APPLIED);
        ids.subList(5, 10).forEach(id -> assertThat(f.executions.cancel(id, "requester").moved()).isTrue());
    }

    @Test
    void when_one_run_of_a_batch_fails_the_executions_still_waiting_go_back_unclaimed_and_are_bought_later(TestSchema db) {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.steady());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(f.approvedExecution(f.awsAccount(), 1));
        }
        // the database fails the first write-ahead statement (as a dropped connection would), once
        AtomicBoolean failed = new AtomicBoolean();
        WorkerStore failingOnce = new WorkerStore(f.jdbc, f.tx, f.audit, f.metrics) {
            @Override
            AttemptStart recordAttempt(ClaimedExecution c, int position, PurchaseLocks.Pinned pinned, String lockKey,
                                       ItemResult disabled) {
                if (failed.compareAndSet(false, true)) {
                    throw new org.springframework.dao.DataAccessResourceFailureException("connection reset");
                }
                return super.recordAttempt(c, position, pinned, lockKey, disabled);
            }
        };
        // one worker, 4 waiting: it claims all 4 at once (lease 10 s, longer than this test waits)
        WorkerPool pool = new WorkerPool(failingOnce, f.locks, f.executors, f.metrics,
                EngineFixture.withWorkers(f.properties, 1, Duration.ofMillis(50)), new WakeUpSignal(),
                Duration.ofSeconds(30));
        pool.start();
        Object[] all = {ids.toArray(UUID[]::new)};
        try {
            // the three that never started are back in the queue and bought well before any lease runs out
            await().atMost(Duration.ofSeconds(8)).until(() -> f.sql.queryForObject(
                    "SELECT count(*) FROM executions WHERE id = ANY (?) AND status = 'SUCCEEDED'", Integer.class,
                    all) >= 3);
        } finally {
            pool.stop();
        }
        assertThat(failed).isTrue();
        assertThat(f.sql.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'RELEASE' "
                + "AND execution_id = ANY (?)", Integer.class, all)).as("released, not left to the lease sweep")
                .isEqualTo(3);
        assertThat(f.sql.queryForObject("SELECT count(*) FROM executions WHERE id = ANY (?) AND status = 'SUCCEEDED' "
                + "AND claims = 1", Integer.class, all)).as("a release does not count as a claim").isGreaterThanOrEqualTo(3);
        assertThat(cloud.purchaseRequests()).isEqualTo(3);
        // the one whose run failed stays leased until the lease sweep returns it (as before batches)
        assertThat(f.sql.queryForObject("SELECT status FROM executions WHERE id = ?", String.class, ids.get(0)))
                .isEqualTo("RUNNING");
        f.sql.update("UPDATE executions SET status = 'CANCELED', claimed_by = NULL, lease_until = NULL WHERE id = ?",
                ids.get(0));
    }
}
