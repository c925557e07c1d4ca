package dev.pledge.app.engine;

import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(PostgresExtension.class)
class ApprovalNotificationTest {

    @Test
    void an_approval_notifies_listeners_when_it_commits_and_not_before(TestSchema db) throws Exception {
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(new InMemoryRdsCloud())),
                EngineFixture.steady());
        UUID id = f.pendingExecution(f.awsAccount(), 1);
        try (Connection listener = DriverManager.getConnection(db.url(), db.user(), db.password());
             Connection approver = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + ApprovalListener.CHANNEL);
            }
            PGConnection pg = listener.unwrap(PGConnection.class);

            approver.setAutoCommit(false);
            try (PreparedStatement p = approver.prepareStatement(
                    "UPDATE executions SET status = 'APPROVED', approved_by = 'approver', approved_at = now() WHERE id = ?")) {
                p.setObject(1, id);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            assertThat(pg.getNotifications(300)).as("nothing is sent before the commit").isNullOrEmpty();
            approver.commit();

            List<String> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                PGNotification[] n = pg.getNotifications(200);
                if (n != null) {
                    Arrays.stream(n).map(PGNotification::getParameter).forEach(received::add);
                }
                return !received.isEmpty();
            });
            assertThat(received).containsExactly(id.toString());
        }
        f.executions.cancel(id, "requester");
    }
}
