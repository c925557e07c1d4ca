package dev.pledge.app.database;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up wait for the database: which failures it waits out, and its setting. (The restart itself: StartDuringDatabaseRestartTest.) */
class DatabaseAtStartTest {

    @Test
    void a_failure_that_is_not_about_reaching_the_database_ends_the_start_at_once() {
        AtomicInteger runs = new AtomicInteger();
        DatabaseAtStart wait = new DatabaseAtStart(Duration.ofMinutes(1));

        assertThatThrownBy(() -> wait.run("a check", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("wrong master key");
        })).hasMessage("wrong master key");
        assertThat(runs).hasValue(1);
    }

    @Test
    void a_refused_connection_is_waited_out_until_the_work_succeeds() {
        AtomicInteger runs = new AtomicInteger();
        String result = new DatabaseAtStart(Duration.ofMinutes(1)).call("a check", () -> {
            if (runs.incrementAndGet() < 3) {
                throw new RuntimeException("could not open", new SQLException("refused", "08001",
                        new ConnectException("Connection refused")));
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(runs).hasValue(3);
    }

    @Test
    void connection_and_server_start_or_shutdown_states_count_as_unreachable_others_do_not() {
        assertThat(DatabaseAtStart.unreachable(new RuntimeException(new SQLException("x", "08006")))).isTrue();
        assertThat(DatabaseAtStart.unreachable(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(DatabaseAtStart.unreachable(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(DatabaseAtStart.unreachable(new SQLException("relation does not exist", "42P01"))).isFalse();
        assertThat(DatabaseAtStart.unreachable(new IllegalStateException("no"))).isFalse();
    }

    @Test
    void a_bad_wait_setting_is_refused_naming_the_property() {
        assertThatThrownBy(() -> DatabaseAtStart.from(new MockEnvironment().withProperty(DatabaseAtStart.WAIT, "0s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pledge.database.startup-wait");
        assertThatThrownBy(() -> DatabaseAtStart.from(new MockEnvironment().withProperty(DatabaseAtStart.WAIT, "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pledge.database.startup-wait")
                .hasMessageContaining("soon");
        assertThat(DatabaseAtStart.from(new MockEnvironment())).isNotNull();
    }
}
