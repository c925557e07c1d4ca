package dev.pledge.app.audit;

import dev.pledge.app.testing.TestDatabase;
import dev.pledge.app.testing.TestSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime role of infra/postgres/roles.sql: it works the tables, and may only read and append to
 * the audit trail; the afterMigrate callback takes back any UPDATE/DELETE/TRUNCATE granted there.
 */
class AuditPrivilegesTest {

    @Test
    void the_runtime_role_may_append_to_the_audit_trail_but_not_change_it_or_switch_its_triggers_off()
            throws Exception {
        String role = "pledge_runtime_" + UUID.randomUUID().toString().substring(0, 8);
        try (TestSchema db = TestDatabase.shared().newSchema("audit_privileges")) {
            JdbcTemplate owner = db.jdbc();
            owner.execute("CREATE ROLE " + role);
            try {
                // what roles.sql's default privileges give the runtime role on every table, audit included
                owner.execute("GRANT USAGE ON SCHEMA " + db.name() + " TO " + role + "; GRANT SELECT, INSERT, UPDATE, "
                        + "DELETE, TRUNCATE ON ALL TABLES IN SCHEMA " + db.name() + " TO " + role + "; GRANT USAGE, "
                        + "SELECT ON ALL SEQUENCES IN SCHEMA " + db.name() + " TO " + role);
                // the next start migrates (nothing to do) and runs the afterMigrate callback
                Flyway.configure().dataSource(db.url(), db.user(), db.password()).schemas(db.name())
                        .defaultSchema(db.name()).locations("classpath:db/migration").load().migrate();

                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("SET ROLE " + role);
                    try {
                    JdbcTemplate runtime = new JdbcTemplate(new org.springframework.jdbc.datasource
                            .SingleConnectionDataSource(c, true));
                    runtime.update("INSERT INTO audit_events (actor, action, detail) VALUES ('worker:w', 'NOTE', 'x')");
                    runtime.update("UPDATE accounts SET name = name");
                    assertThat(runtime.queryForObject("SELECT count(*) FROM audit_events", Integer.class)).isEqualTo(1);

                    assertThat(refusal(() -> runtime.update("UPDATE audit_events SET detail = 'y'")))
                            .contains("permission denied");
                    assertThat(refusal(() -> runtime.update("DELETE FROM audit_events")))
                            .contains("permission denied");
                    assertThat(refusal(() -> runtime.update("UPDATE audit_chain SET hash = repeat('0', 64)")))
                            .contains("permission denied");
                    // PostgreSQL says "must be owner" or "permission denied", depending on the version
                    assertThat(refusal(() -> runtime.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")))
                            .containsAnyOf("must be owner", "permission denied");
                    assertThat(refusal(() -> runtime.execute("DROP TRIGGER audit_events_no_update ON audit_events")))
                            .containsAnyOf("must be owner", "permission denied");
                    } finally {
                        s.execute("RESET ROLE");
                    }
                }
            } finally {
                owner.execute("DROP OWNED BY " + role + "; DROP ROLE " + role);
            }
        }
    }

    /** The database's own message for a refused statement. */
    private static String refusal(Runnable statement) {
        try {
            statement.run();
        } catch (DataAccessException e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            return t.getMessage();
        }
        throw new AssertionError("the statement was not refused");
    }
}
