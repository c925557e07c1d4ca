package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(PostgresExtension.class)
class ClaimingTest {

    @Test
    void n_workers_on_separate_connections_never_claim_the_same_execution_and_all_finish(TestSchema db) throws Exception {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.fast());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(f.approvedExecution(f.awsAccount(), 1));
        }
        int workers = 8;
        ConcurrentHashMap<UUID, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger doubleClaims = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(workers);
        ExecutorService threads = Executors.newFixedThreadPool(workers);
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String worker = "worker-" + w;
            done.add(threads.submit(() -> {
                start.await();
                int finished = 0;
                while (true) {
                    Optional<ClaimedExecution> c = f.store.claim(worker, Duration.ofSeconds(30));
                    if (c.isEmpty()) {
                        return finished;
                    }
                    if (claimedBy.putIfAbsent(c.get().id(), worker) != null) {
                        doubleClaims.incrementAndGet();
                    }
                    if (f.run(c.get()).run() == ExecutionRun.End.FINISHED) {
                        finished++;
                    }
                }
            }));
        }
        int finished = 0;
        for (Future<Integer> d : done) {
            finished += d.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(doubleClaims).hasValue(0);
        assertThat(claimedBy.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(finished).isEqualTo(30);
        Object[] ours = {ids.toArray(UUID[]::new)};
        assertThat(f.sql.queryForList("SELECT DISTINCT status FROM executions WHERE id = ANY (?)", String.class, ours))
                .containsExactly("SUCCEEDED");
        assertThat(f.sql.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'CLAIM' AND execution_id = ANY (?)",
                Integer.class, ours)).isEqualTo(30);
        assertThat(f.sql.queryForObject("SELECT max(claims) FROM executions WHERE id = ANY (?)", Integer.class, ours))
                .isEqualTo(1);
        assertThat(claimedBy.values().stream().distinct().count()).as("work was spread over several workers")
                .isGreaterThan(1);
        assertThat(cloud.commitments()).isEqualTo(30);
    }

    @Test
    void a_worker_pool_finishes_everything_with_one_purchase_in_flight_per_account_and_type(TestSchema db) {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        cloud.latency(15);
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.steady());
        List<Account> accounts = List.of(f.awsAccount(), f.awsAccount());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(f.approvedExecution(accounts.get(i % 2), 2));
        }
        WorkerPool pool = f.pool(6, Duration.ofMillis(50));
        pool.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> f.sql.queryForObject(
                    "SELECT count(*) FROM executions WHERE id = ANY (?) AND status = 'SUCCEEDED'", Integer.class,
                    (Object) ids.toArray(UUID[]::new)) == ids.size());
        } finally {
            pool.stop();
        }
        assertThat(cloud.commitments()).isEqualTo(24);
        assertThat(cloud.purchaseRequests()).isEqualTo(24);
        assertThat(cloud.maxPurchasesInFlightPerAccount()).as("purchases of one account and type never overlap")
                .isEqualTo(1);
        assertThat(f.sql.queryForObject("SELECT count(*) FROM item_attempts WHERE result = 'BOUGHT'", Integer.class))
                .isEqualTo(24);
    }

    @Test
    void approved_work_waits_for_its_not_before_and_can_still_be_canceled_meanwhile(TestSchema db) {
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(new InMemoryRdsCloud())),
                EngineFixture.fast());
        Account account = f.awsAccount();
        UUID later = f.executions.create(new dev.pledge.app.execution.NewExecution("requester", "review window",
                java.time.Instant.now().plus(Duration.ofHours(1)), List.of(EngineFixture.rds(account, 1)), null, null))
                .detail().execution().id();
        f.executions.approve(later, "approver");
        UUID past = f.executions.create(new dev.pledge.app.execution.NewExecution("requester", "window over",
                java.time.Instant.now().minus(Duration.ofMinutes(1)), List.of(EngineFixture.rds(account, 1)), null, null))
                .detail().execution().id();
        f.executions.approve(past, "approver");

        Optional<ClaimedExecution> first = f.store.claim("worker", Duration.ofSeconds(30));
        Optional<ClaimedExecution> second = f.store.claim("worker", Duration.ofSeconds(30));

        assertThat(first).map(ClaimedExecution::id).contains(past);
        assertThat(second).isEmpty();
        assertThat(f.status(later)).isEqualTo("APPROVED");
        assertThat(f.executions.cancel(later, "requester").moved()).isTrue();
        assertThat(f.store.release(first.orElseThrow(), "test over")).isEqualTo(OwnedWrite.APPLIED);
        f.executions.cancel(past, "requester");
    }
}
