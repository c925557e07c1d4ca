package dev.pledge.app.database;

import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class EmbeddedDatabaseTest {

    @Test
    void the_embedded_postgres_starts_for_the_current_user_even_root_and_the_migrations_apply(TestSchema db) {
        JdbcTemplate jdbc = db.jdbc();
        // runs as whoever runs the build; on the CI machines that is root
        assertThat(System.getProperty("user.name")).isNotBlank();
        List<String> versions = jdbc.queryForList(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank", String.class);
        assertThat(versions).startsWith("1", "2");
        List<String> tables = jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
                ORDER BY table_name""", String.class);
        assertThat(tables).contains("accounts", "executions", "items", "item_attempts", "audit_events",
                "execution_status_counts", "shedlock");
        assertThat(jdbc.queryForObject("SELECT current_schema()", String.class)).isEqualTo(db.name());
    }

    @Test
    void the_audit_trail_refuses_update_delete_and_truncate(TestSchema db) {
        JdbcTemplate jdbc = db.jdbc();
        jdbc.update("INSERT INTO audit_events (actor, action, detail) VALUES ('tester', 'NOTE', 'kept forever')");

        assertThatThrownBy(() -> jdbc.update("UPDATE audit_events SET detail = 'changed'"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_events"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        // refused by the trigger, or first by the audit chain's reference to the rows
        assertThatThrownBy(() -> jdbc.execute("TRUNCATE audit_events")).isInstanceOf(DataAccessException.class);
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_events", String.class)).isEqualTo("kept forever");
    }

    @Test
    void a_stale_postmaster_pid_is_removed_and_the_data_survives_a_restart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("db");
        try (EmbeddedDatabase first = EmbeddedDatabase.startPersistent(data)) {
            new JdbcTemplate(first.dataSource()).execute("CREATE TABLE survivor (note text); INSERT INTO survivor VALUES ('still here')");
        }
        // what a killed server leaves behind: a pid file naming a process that is gone
        Files.writeString(data.resolve("postmaster.pid"), deadPid() + "\n" + data + "\n");

        try (EmbeddedDatabase second = EmbeddedDatabase.startPersistent(data)) {
            assertThat(new JdbcTemplate(second.dataSource()).queryForObject("SELECT note FROM survivor", String.class))
                    .isEqualTo("still here");
        }
    }

    @Test
    void a_postmaster_pid_of_a_live_process_is_left_alone(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");

        assertThatThrownBy(() -> EmbeddedDatabase.removeStalePostmasterPid(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is still running");
        assertThat(pidFile).exists();
    }

    @Test
    void no_postmaster_pid_means_nothing_to_clean(@TempDir Path dir) throws Exception {
        assertThat(EmbeddedDatabase.removeStalePostmasterPid(dir)).isFalse();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
