package dev.pledge.soak;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoakDatabaseTest {

    @Test
    void a_restart_cuts_open_connections_and_keeps_the_data_and_the_port() throws Exception {
        Path dir = Files.createTempDirectory("soak-db-test-");
        try (SoakDatabase db = SoakDatabase.start(dir.resolve("pgdata"))) {
            int port = db.port();
            Connection before = DriverManager.getConnection(db.jdbcUrl(), SoakDatabase.USER, "");
            try (Statement s = before.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }

            db.restart(Duration.ofMillis(200));

            assertThat(db.port()).isEqualTo(port);
            assertThatThrownBy(() -> {
                try (Statement s = before.createStatement()) {
                    s.execute("SELECT 1");
                }
            }).isInstanceOf(SQLException.class);
            before.close();
            try (Connection after = DriverManager.getConnection(db.jdbcUrl(), SoakDatabase.USER, "");
                 Statement s = after.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }
}
