package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.app.testing.CommitCountingDataSource;
import dev.pledge.app.testing.EmulatorTestCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.logging.Masking;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one execution costs the database, counted as PostgreSQL counts commits (each commit, and each
 * statement in auto-commit mode), with the real RDS executor buying from the emulator over HTTP: the
 * claim reads the items (1), each item takes the purchase lock with its write-ahead record (1) and
 * records its outcome with the lock's release (1), the last one with the final status too.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsPerExecutionTest {
    private EmulatorTestCloud cloud;
    private CommitCountingDataSource counted;
    private EngineFixture f;

    @BeforeAll
    void start(TestSchema db) {
        cloud = new EmulatorTestCloud();
        counted = new CommitCountingDataSource(db.dataSource());
        f = new EngineFixture(db, counted, cloud.executors(), EngineFixture.steady());
    }

    @BeforeEach
    void resetCounts() {
        cloud.resetCounts();
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    private Account account() {
        return f.account(cloud, "commits");
    }

    private UUID approved(Account account, int items) {
        return f.approved(cloud, account, items);
    }

    private long commitsToRunNext(UUID expected) throws InterruptedException {
        long before = counted.commits();
        ClaimedExecution c = f.store.claim("counted", Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.id()).isEqualTo(expected);
        assertThat(f.run(c).run()).isEqualTo(ExecutionRun.End.FINISHED);
        return counted.commits() - before;
    }

    @Test
    void a_single_item_execution_costs_three_commits_and_leaves_the_purchase_lock_free() throws Exception {
        Account account = account();
        UUID id = approved(account, 1);

        assertThat(commitsToRunNext(id)).isEqualTo(3);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.commitments(account)).isEqualTo(1);
        assertThat(cloud.purchaseRequests()).isEqualTo(1);
        assertThat(f.executions.auditTrail(id)).extracting(e -> e.action())
                .containsSubsequence("CLAIM", "ITEM_ATTEMPT", "ITEM_OUTCOME", "FINISH");
        // the claim's audit row masks the token in SQL: the same mask as everywhere else, never the token
        String token = f.sql.queryForObject("SELECT execution_token FROM executions WHERE id = ?", String.class, id);
        assertThat(f.executions.auditTrail(id)).extracting(e -> e.tokenMasked()).containsOnly(Masking.mask(token));
        assertThat(f.executions.auditTrail(id)).filteredOn(e -> e.action().equals("CLAIM"))
                .extracting(e -> e.detail()).containsExactly("attempt 1, claim 1");
        assertThat(f.executions.auditTrail(id)).filteredOn(e -> e.action().equals("FINISH"))
                .extracting(e -> e.fromStatus() + "->" + e.toStatus()).containsExactly("RUNNING->SUCCEEDED");
        assertThat(lockFree(lockKey(id))).as("the purchase lock was released with the outcome").isTrue();
    }

    @Test
    void each_further_item_costs_two_commits() throws Exception {
        UUID id = approved(account(), 2);

        assertThat(commitsToRunNext(id)).isEqualTo(5);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.purchaseRequests()).isEqualTo(2);
    }

    @Test
    void a_worker_that_finds_the_purchase_lock_held_elsewhere_hands_the_execution_back_and_it_is_bought_once_free()
            throws Exception {
        Account account = account();
        UUID id = approved(account, 1);
        String key = lockKey(id);
        try (Connection other = f.db.dataSource().getConnection()) {
            assertThat(tryLock(other, key)).isTrue();
            ClaimedExecution c = f.store.claim("waiting", Duration.ofSeconds(30)).orElseThrow();
            long before = counted.commits();

            assertThat(f.run(c).run()).isEqualTo(ExecutionRun.End.HANDED_BACK);

            assertThat(counted.commits() - before).as("the busy try and the hand-back").isEqualTo(2);
            assertThat(f.status(id)).isEqualTo("APPROVED");
            assertThat(f.executions.get(id).orElseThrow().items()).extracting(ExecutionItem::status)
                    .containsExactly(ItemStatus.PENDING);
            assertThat(f.sql.queryForObject("SELECT count(*) FROM item_attempts WHERE execution_id = ?",
                    Integer.class, id)).as("no write-ahead record while the lock is elsewhere").isZero();
            assertThat(f.sql.queryForObject("SELECT claims FROM executions WHERE id = ?", Integer.class, id))
                    .as("a hand-back is not counted as a claim").isZero();
            assertThat(f.executions.auditTrail(id)).extracting(e -> e.action()).contains("LOCK_BUSY");
            assertThat(cloud.purchaseRequests()).isZero();
            unlock(other, key);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> f.sql.queryForObject(
                "SELECT not_before <= now() FROM executions WHERE id = ?", Boolean.class, id));
        assertThat(commitsToRunNext(id)).isEqualTo(3);
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.commitments(account)).isEqualTo(1);
        assertThat(lockFree(key)).isTrue();
    }

    @Test
    void a_lease_lost_before_the_write_ahead_releases_the_lock_and_buys_nothing() throws Exception {
        UUID id = approved(account(), 1);
        ClaimedExecution c = f.store.claim("doomed", Duration.ofSeconds(30)).orElseThrow();
        f.sql.update("UPDATE executions SET claimed_by = 'someone-else' WHERE id = ?", id);

        assertThat(f.run(c).run()).isEqualTo(ExecutionRun.End.LEASE_LOST);

        assertThat(cloud.purchaseRequests()).isZero();
        assertThat(f.sql.queryForObject("SELECT count(*) FROM item_attempts WHERE execution_id = ?",
                Integer.class, id)).isZero();
        assertThat(lockFree(lockKey(id))).as("the lock taken with the refused write-ahead was released").isTrue();
    }

    @Test
    void only_the_claim_skips_the_wal_flush_and_the_setting_does_not_outlive_it() throws Exception {
        UUID id = approved(account(), 1);
        try (Connection one = f.db.dataSource().getConnection()) {
            // the test server runs with synchronous_commit off; this session runs as production does
            try (PreparedStatement s = one.prepareStatement("SET synchronous_commit = on")) {
                s.execute();
            }
            SingleConnectionDataSource single = new SingleConnectionDataSource(one, true);
            EngineFixture onOne = new EngineFixture(f.db, single, cloud.executors(), EngineFixture.steady());
            ClaimedExecution c = onOne.store.claim("single", Duration.ofSeconds(30)).orElseThrow();
            assertThat(c.id()).isEqualTo(id);
            assertThat(synchronousCommit(one)).as("SET LOCAL ends with the claim's transaction").isEqualTo("on");
            // the write-ahead record and the outcome commit synchronously on the same connection
            assertThat(onOne.run(c).run()).isEqualTo(ExecutionRun.End.FINISHED);
            assertThat(synchronousCommit(one)).isEqualTo("on");
            try (PreparedStatement s = one.prepareStatement("RESET synchronous_commit")) {
                s.execute();
            }
        }
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
    }

    private static String synchronousCommit(Connection c) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SHOW synchronous_commit"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String lockKey(UUID id) {
        return f.store.items(id).get(0).purchaseLockKey();
    }

    private boolean lockFree(String key) throws Exception {
        try (Connection c = f.db.dataSource().getConnection()) {
            boolean free = tryLock(c, key);
            if (free) {
                unlock(c, key);
            }
            return free;
        }
    }

    private static boolean tryLock(Connection c, String key) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, String key) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
            s.setString(1, key);
            s.execute();
        }
    }
}
