package dev.pledge.app.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server `pledge serve` keeps its data in: durable, and closed to anyone without its password. */
class PersistentDatabaseTest {

    @Test
    void the_persistent_server_writes_the_write_ahead_record_to_disk_before_a_commit_returns(@TempDir Path dir) {
        try (EmbeddedDatabase db = EmbeddedDatabase.startPersistent(dir.resolve("postgres"))) {
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());

            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).as("fsync").isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).as("synchronous_commit")
                    .isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW full_page_writes", String.class)).as("full_page_writes")
                    .isEqualTo("on");
        }
    }

    @Test
    void connecting_without_the_password_fails_and_the_password_is_in_an_owner_only_file(@TempDir Path dir)
            throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.startPersistent(dir.resolve("postgres"))) {
            Path file = dir.resolve("postgres.password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file).trim()).isEqualTo(db.password()).hasSize(64);

            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", "guess").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            try (var c = DriverManager.getConnection(db.jdbcUrl(), "postgres", db.password())) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThat(Files.readString(dir.resolve("postgres").resolve("pg_hba.conf"))).doesNotContain("trust");
        }
    }

    @Test
    void a_data_directory_made_with_trust_gets_a_password_at_its_next_start_and_keeps_its_data(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("postgres");
        // what earlier versions left: a server initialised with trust authentication and no password
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .start()) {
            new JdbcTemplate(old.getPostgresDatabase()).execute("CREATE TABLE kept (note text); "
                    + "INSERT INTO kept VALUES ('from before')");
        }

        try (EmbeddedDatabase db = EmbeddedDatabase.startPersistent(data)) {
            assertThat(new JdbcTemplate(db.dataSource()).queryForObject("SELECT note FROM kept", String.class))
                    .isEqualTo("from before");
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", null).close())
                    .isInstanceOf(SQLException.class);
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.startPersistent(data)) {
            assertThat(new JdbcTemplate(again.dataSource()).queryForObject("SELECT count(*) FROM kept", Integer.class))
                    .isEqualTo(1);
        }
    }
}
