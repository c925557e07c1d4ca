package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.testing.EmulatorTestCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What app/README, application.yml and docs/performance.md say about the pool: a worker holds one
 * database connection at a time (the claim's, then per item the one pinned for the purchase lock,
 * the write-ahead record and the outcome), so {@code workers + listener + heartbeat + sweeps}
 * connections are enough. Counted on the pool the engine uses, for a worker running a
 * three-item execution with the real RDS executor against the emulator.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionsPerWorkerTest {
    private EmulatorTestCloud cloud;
    private OpenConnections counted;
    private EngineFixture f;

    @BeforeAll
    void start(TestSchema db) {
        cloud = new EmulatorTestCloud();
        counted = new OpenConnections(db.dataSource());
        f = new EngineFixture(db, counted, cloud.executors(), EngineFixture.steady());
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    @Test
    void a_worker_holds_at_most_one_connection_at_a_time_through_a_three_item_execution() throws Exception {
        Account account = f.account(cloud, "connections");
        UUID id = f.approved(cloud, account, 3);
        counted.reset();

        ClaimedExecution c = f.store.claim("counted", Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.id()).isEqualTo(id);
        assertThat(f.run(c).run()).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(counted.opened()).as("connections taken from the pool").isGreaterThanOrEqualTo(4);
        assertThat(counted.mostAtOnce()).as("connections the worker held at the same time").isEqualTo(1);
        assertThat(counted.open()).as("connections still held").isZero();
    }

    /** The real pool, counting the connections the calling thread holds at once. */
    static final class OpenConnections extends DelegatingDataSource {
        private final ThreadLocal<int[]> open = ThreadLocal.withInitial(() -> new int[1]);
        private final AtomicInteger most = new AtomicInteger();
        private final AtomicInteger opened = new AtomicInteger();
        private final AtomicInteger openNow = new AtomicInteger();

        OpenConnections(DataSource target) {
            super(target);
        }

        void reset() {
            most.set(0);
            opened.set(0);
        }

        int mostAtOnce() {
            return most.get();
        }

        int opened() {
            return opened.get();
        }

        int open() {
            return openNow.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection target = super.getConnection();
            int[] mine = open.get();
            mine[0]++;
            openNow.incrementAndGet();
            opened.incrementAndGet();
            most.accumulateAndGet(mine[0], Math::max);
            boolean[] closed = new boolean[1];
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close") && !closed[0]) {
                            closed[0] = true;
                            mine[0]--;
                            openNow.decrementAndGet();
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
