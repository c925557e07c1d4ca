package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class StatusCountersTest {

    @Test
    void the_counters_equal_count_star_per_status_after_a_randomized_concurrent_workload(TestSchema db)
            throws Exception {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        // short TTL so the expiry sweep has work while clients act on the same rows
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)),
                EngineFixture.properties(Duration.ofSeconds(10), Duration.ofMillis(200), 3, Duration.ofMillis(300)));
        List<Account> accounts = List.of(f.awsAccount(), f.awsAccount(), f.awsAccount());
        List<UUID> known = new CopyOnWriteArrayList<>();
        WorkerPool pool = f.pool(3, Duration.ofMillis(20));
        AtomicBoolean sweeping = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(7);
        pool.start();
        try {
            Future<?> sweeps = threads.submit(() -> {
                LeaseSweep lease = f.leaseSweep(Clock.systemUTC());
                ApprovalExpirySweep approvals = f.approvalSweep(Clock.systemUTC());
                while (sweeping.get()) {
                    lease.cycle();
                    approvals.cycle();
                }
                return null;
            });
            int clients = 6;
            CyclicBarrier start = new CyclicBarrier(clients);
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                long seed = 1000L + c;
                work.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    start.await();
                    for (int op = 0; op < 40; op++) {
                        int dice = random.nextInt(10);
                        if (dice < 3 || known.isEmpty()) {
                            known.add(f.pendingExecution(accounts.get(random.nextInt(3)), 1 + random.nextInt(2)));
                            continue;
                        }
                        UUID id = known.get(random.nextInt(known.size()));
                        switch (dice) {
                            case 3, 4, 5 -> f.executions.approve(id, "approver");
                            case 6 -> f.executions.reject(id, "approver", "no");
                            case 7 -> f.executions.cancel(id, "requester");
                            case 8 -> f.executions.redrive(id, "approver");
                            default -> cloud.reject(1);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : work) {
                w.get(120, TimeUnit.SECONDS);
            }
            sweeping.set(false);
            sweeps.get(60, TimeUnit.SECONDS);
        } finally {
            pool.stop();
            threads.shutdownNow();
        }

        Map<ExecutionStatus, Long> countStar = new EnumMap<>(ExecutionStatus.class);
        for (ExecutionStatus s : ExecutionStatus.values()) {
            countStar.put(s, 0L);
        }
        f.sql.query("SELECT status, count(*) AS n FROM executions GROUP BY status",
                rs -> {
                    countStar.put(ExecutionStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        assertThat(f.executions.summary()).isEqualTo(countStar);
        assertThat(countStar.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(known.size());
        assertThat(countStar.entrySet().stream().filter(e -> e.getValue() > 0).count())
                .as("the workload reached several statuses").isGreaterThanOrEqualTo(4);
        assertThat(cloud.commitments()).as("exactly one commitment per bought item, re-drives included")
                .isEqualTo(f.sql.queryForObject("SELECT count(*) FROM items WHERE status = 'BOUGHT'", Integer.class));
        assertThat(f.counter(EngineMetrics.OWNED_WRITE_UNCHANGED)).isZero();
        assertThat(f.counter(EngineMetrics.WORKER_ERRORS)).as("no deadlock or other database error in the workers")
                .isZero();
    }
}
