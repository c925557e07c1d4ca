package dev.pledge.soak;

import dev.pledge.common.idempotency.ExecutionToken;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict must be able to fail: each problem it counts is planted here and found. */
class SoakChecksTest {
    private static SoakDatabase db;
    private static int schemas;

    @BeforeAll
    static void start() throws Exception {
        db = SoakDatabase.start(Files.createTempDirectory("soak-checks-test-").resolve("pgdata"));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private Connection freshSchema() throws SQLException {
        String schema = "checks" + (++schemas);
        Flyway.configure().dataSource(db.jdbcUrl(), SoakDatabase.USER, "").schemas(schema).defaultSchema(schema)
                .locations("classpath:db/migration").load().migrate();
        Connection c = DriverManager.getConnection(db.jdbcUrl() + "?currentSchema=" + schema, SoakDatabase.USER, "");
        c.setAutoCommit(true);
        return c;
    }

    private static final class World {
        final Connection c;
        final UUID account;
        final List<UUID> created = new ArrayList<>();
        final List<EmulatorControl.Commitment> cloud = new ArrayList<>();

        World(Connection c) throws SQLException {
            this.c = c;
            this.account = UUID.randomUUID();
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO accounts (id, cloud, external_id, name) VALUES (?, 'aws', '111122223333', 'a')")) {
                s.setObject(1, account);
                s.executeUpdate();
            }
        }

        /** An execution in {@code status} with one item per commitment id (null: not bought), audited or not. */
        UUID execution(String status, boolean audited, String... commitmentIds) throws SQLException {
            UUID id = UUID.randomUUID();
            ExecutionToken token = ExecutionToken.generate();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO executions (id, execution_token, status, "
                    + "created_by, claimed_by, lease_until) VALUES (?, ?, ?, 't', ?, ?)")) {
                s.setObject(1, id);
                s.setString(2, token.value());
                s.setString(3, status);
                boolean running = status.equals("RUNNING");
                s.setString(4, running ? "w" : null);
                s.setObject(5, running ? java.sql.Timestamp.from(java.time.Instant.now()) : null);
                s.executeUpdate();
            }
            for (int i = 0; i < commitmentIds.length; i++) {
                boolean bought = commitmentIds[i] != null;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO items (execution_id, position, account_id, "
                        + "type, cloud_account, region, offering, quantity, term, payment, status, outcome, commitment_id, "
                        + "error) VALUES (?, ?, ?, 'aws-rds', '111122223333', 'us-east-1', 'db.r6g.large', 1, '1y', "
                        + "'no-upfront', ?, ?, ?, ?)")) {
                    s.setObject(1, id);
                    s.setInt(2, i);
                    s.setObject(3, account);
                    s.setString(4, bought ? "BOUGHT" : "FAILED");
                    s.setString(5, bought ? "BOUGHT" : null);
                    s.setString(6, commitmentIds[i]);
                    s.setString(7, bought ? null : "the cloud refused it");
                    s.executeUpdate();
                }
            }
            if (audited) {
                String[][] chain = switch (status) {
                    case "SUCCEEDED", "FAILED" -> new String[][] {{null, "PENDING_APPROVAL"},
                            {"PENDING_APPROVAL", "APPROVED"}, {"APPROVED", "RUNNING"}, {"RUNNING", status}};
                    // the approval was never audited: the trail jumps from PENDING_APPROVAL to a claim
                    case "RUNNING" -> new String[][] {{null, "PENDING_APPROVAL"}, {"APPROVED", "RUNNING"}};
                    default -> new String[][] {{null, "PENDING_APPROVAL"}, {"PENDING_APPROVAL", status}};
                };
                for (String[] step : chain) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_events (actor, action, "
                            + "execution_id, from_status, to_status) VALUES ('t', 'STEP', ?, ?, ?)")) {
                        s.setObject(1, id);
                        s.setString(2, step[0]);
                        s.setString(3, step[1]);
                        s.executeUpdate();
                    }
                }
            }
            created.add(id);
            return id;
        }

        String itemToken(UUID execution, int position) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT execution_token FROM executions WHERE id = ?")) {
                s.setObject(1, execution);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return new ExecutionToken(rs.getString(1)).item(position).hex();
                }
            }
        }

        void held(String id, String key, Map<String, String> tags) {
            cloud.add(new EmulatorControl.Commitment("aws", "aws-rds", "111122223333", "us-east-1", id, key,
                    "db.r6g.large", 1, tags));
        }

        SoakChecks.Verdict verdict() throws SQLException {
            return new SoakChecks().run(c, created, cloud);
        }
    }

    private static void sql(Connection c, String statement, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.execute();
        }
    }

    @Test
    void a_bought_item_that_spent_its_reservation_within_the_budget_is_no_overrun() throws Exception {
        try (Connection c = freshSchema()) {
            World w = new World(c);
            UUID e = w.execution("PENDING_APPROVAL", false, (String) null);
            sql(c, "UPDATE items SET status = 'PENDING', error = NULL WHERE execution_id = ?", e);
            sql(c, "INSERT INTO item_quotes (execution_id, position, source, currency, upfront, recurring, recurring_unit,"
                    + " hourly, monthly, term_months, total) VALUES (?, 0, 'cloud', 'USD', 80, 0, 'hour', 0, 0, 12, 80)", e);
            sql(c, "INSERT INTO budgets (scope, currency, monthly_limit, updated_by) VALUES (?, 'USD', 100, 't')",
                    w.account.toString());
            sql(c, "INSERT INTO budget_usage (scope, currency, month, reserved) VALUES (?, 'USD', date_trunc('month', now())::date, 80)",
                    w.account.toString());
            sql(c, "INSERT INTO budget_reservations (execution_id, position, scope, currency, month, amount, state)"
                    + " VALUES (?, 0, ?, 'USD', date_trunc('month', now())::date, 80, 'RESERVED')", e, w.account.toString());

            // the database spends the reservation when the item is bought
            sql(c, "UPDATE items SET status = 'BOUGHT', outcome = 'BOUGHT', commitment_id = 'c9' WHERE execution_id = ?", e);

            assertThat(new SoakChecks().budgets(c)).isZero();
        }
    }

    @Test
    void an_item_bought_past_its_budget_or_without_a_reservation_is_a_budget_overrun() throws Exception {
        try (Connection c = freshSchema()) {
            World w = new World(c);
            UUID e = w.execution("SUCCEEDED", true, "c1");
            sql(c, "INSERT INTO item_quotes (execution_id, position, source, currency, upfront, recurring, recurring_unit,"
                    + " hourly, monthly, term_months, total) VALUES (?, 0, 'cloud', 'USD', 80, 0, 'hour', 0, 0, 12, 80)", e);
            sql(c, "INSERT INTO budgets (scope, currency, monthly_limit, updated_by) VALUES (?, 'USD', 100, 't')",
                    w.account.toString());
            sql(c, "INSERT INTO budget_usage (scope, currency, month, spent) VALUES (?, 'USD', date_trunc('month', now())::date, 150)",
                    w.account.toString());
            w.held("c1", "pledge-" + w.itemToken(e, 0).substring(0, 30), Map.of());

            SoakChecks.Verdict v = w.verdict();

            // over the limit; counters that no reservation explains; an item held without a spent reservation
            assertThat(v.budgetOverruns()).isEqualTo(3);
            assertThat(v.problems()).anySatisfy(p -> assertThat(p).startsWith("BUDGET OVERRUN"));
            assertThat(v.problems()).anySatisfy(p -> assertThat(p).contains("without a spent reservation"));
        }
    }

    @Test
    void a_clean_world_has_no_problems() throws Exception {
        try (Connection c = freshSchema()) {
            World w = new World(c);
            UUID e = w.execution("SUCCEEDED", true, "c1", "c2");
            w.execution("FAILED", true, (String) null);
            w.held("c1", "pledge-" + w.itemToken(e, 0).substring(0, 30), Map.of());
            w.held("c2", null, Map.of(SoakChecks.ITEM_TOKEN_TAG, w.itemToken(e, 1)));

            SoakChecks.Verdict v = w.verdict();

            assertThat(v.problems()).isEmpty();
            assertThat(v.doubleBuys() + v.untracked() + v.lost() + v.stuck() + v.counterMismatches() + v.auditGaps())
                    .isZero();
            assertThat(v.refused()).isEqualTo(1);
            assertThat(v.commitments()).isEqualTo(2);
        }
    }

    @Test
    void every_planted_problem_is_counted() throws Exception {
        try (Connection c = freshSchema()) {
            World w = new World(c);
            UUID e = w.execution("SUCCEEDED", true, "c1", "c2");
            w.held("c1", "pledge-" + w.itemToken(e, 0).substring(0, 30), Map.of());
            w.held("c2", null, Map.of(SoakChecks.ITEM_TOKEN_TAG, w.itemToken(e, 1)));
            // a second commitment for item 0, found by its derived key: a double buy
            w.held("c3", "pledge-" + w.itemToken(e, 0).substring(0, 20), Map.of());
            // a commitment nobody recorded: untracked
            w.held("c4", "pledge-0123456789abcdef0123", Map.of());
            // recorded as bought, but the cloud holds nothing: lost; and no audit trail: a gap
            w.execution("SUCCEEDED", false, "c-missing");
            // never finished: stuck, and its approval is missing from the trail: a gap
            w.execution("RUNNING", true, (String) null);
            // FAILED without any reason: lost
            UUID silent = w.execution("FAILED", true);
            // created, but not in the database: lost
            w.created.add(UUID.randomUUID());
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE execution_status_count_slots SET executions = executions + 1 WHERE status = 'EXPIRED' AND slot = 0");
            }

            SoakChecks.Verdict v = w.verdict();

            assertThat(v.doubleBuys()).as(String.join("\n", v.problems())).isEqualTo(1);
            assertThat(v.untracked()).isEqualTo(1);
            assertThat(v.lost()).isEqualTo(3);
            assertThat(v.stuck()).isEqualTo(1);
            assertThat(v.counterMismatches()).isEqualTo(1);
            assertThat(v.auditGaps()).isEqualTo(2);
            assertThat(v.problems()).anySatisfy(p -> assertThat(p).startsWith("DOUBLE BUY").contains("c1").contains("c3"))
                    .anySatisfy(p -> assertThat(p).contains(silent.toString()).contains("without a reason"));
        }
    }
}
