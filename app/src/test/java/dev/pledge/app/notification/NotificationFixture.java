package dev.pledge.app.notification;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The notification parts assembled by hand on a test schema, the way NotificationConfiguration wires them. */
final class NotificationFixture {
    private static final AtomicInteger ACCOUNTS = new AtomicInteger(300_000_000);
    static final String SECRET = "webhook-secret-0123456789abcdef";

    final TestSchema db;
    final JdbcTemplate sql;
    final NamedParameterJdbcTemplate jdbc;
    final TransactionTemplate tx;
    final ExecutionService executions;
    final AccountService accounts;
    final NotificationStore store;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final NotificationMetrics metrics;

    NotificationFixture(TestSchema db) {
        this.db = db;
        this.sql = db.jdbc();
        this.jdbc = new NamedParameterJdbcTemplate(db.dataSource());
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
        this.executions = ExecutionService.create(jdbc, tx, null);
        this.accounts = new AccountService(jdbc);
        this.store = new NotificationStore(jdbc);
        this.metrics = new NotificationMetrics(meters, store);
    }

    /** Fast retries: 10-20 ms after the first failure, at most 80 ms. */
    static NotificationProperties properties(int maxAttempts, Duration claimTimeout,
                                             List<NotificationProperties.Webhook> webhooks) {
        return new NotificationProperties(true, 1, Duration.ofMillis(50), 20, maxAttempts, Duration.ofMillis(20),
                Duration.ofMillis(80), claimTimeout, false,
                new NotificationProperties.Email("pledge@example.com", true, true, Duration.ofMillis(500)), Map.of(),
                webhooks, List.of(30, 7), Duration.ofHours(1));
    }

    static NotificationProperties.Webhook webhook(String name, URI url, Duration readTimeout, String... events) {
        return new NotificationProperties.Webhook(name, url, SECRET, List.of(events), NotificationProperties.Format.JSON,
                Duration.ofSeconds(2), readTimeout);
    }

    NotificationDispatcher dispatcher(NotificationProperties properties, String sender, NotificationChannel... channels) {
        NotificationRouter router = new NotificationRouter(store, tx, properties, false);
        return new NotificationDispatcher(store, router, List.of(channels), metrics, properties,
                new Backoff(properties.initialBackoff(), properties.maxBackoff(), () -> 0.5), sender);
    }

    Account account() {
        String external = ACCOUNTS.incrementAndGet() + "123";
        return accounts.create(new NewAccount(Cloud.AWS, external, "notify account " + external, Map.of()));
    }

    UUID pending(Account account, String createdBy) {
        return executions.create(NewExecution.of(createdBy, "two RDS nodes for orders", List.of(
                new NewItem(account.id(), "aws-rds", "us-east-1", "db.r6g.large", 2, "1y", "no-upfront", Map.of()))))
                .detail().execution().id();
    }

    /** The events written for one purchase, in order. */
    List<String> events(UUID execution) {
        return sql.queryForList("SELECT event FROM notifications WHERE execution_id = ? ORDER BY occurred_at, event",
                String.class, execution);
    }

    /** The engine's claim, as WorkerStore writes it (status only: this package does not reach into the engine). */
    void claim(UUID execution) {
        sql.update("UPDATE executions SET status = 'RUNNING', claimed_by = 'w1', lease_until = now() + interval '1 minute' "
                + "WHERE id = ? AND status = 'APPROVED'", execution);
    }

    void release(UUID execution) {
        sql.update("UPDATE executions SET status = 'APPROVED', claimed_by = NULL, lease_until = NULL "
                + "WHERE id = ? AND status = 'RUNNING'", execution);
    }

    void finish(UUID execution, String status, String error) {
        sql.update("UPDATE items SET status = ?, error = ? WHERE execution_id = ?",
                status.equals("SUCCEEDED") ? "PENDING" : "FAILED", error, execution);
        sql.update("UPDATE executions SET status = ?, claimed_by = NULL, lease_until = NULL, finished_at = now(), "
                + "last_error = ? WHERE id = ? AND status = 'RUNNING'", status, error, execution);
    }

    String deliveryStatus(UUID notification, String channel, String target) {
        return sql.queryForObject("SELECT status FROM notification_deliveries WHERE notification_id = ? AND channel = ? "
                + "AND target = ?", String.class, notification, channel, target);
    }

    UUID notification(UUID execution, String event) {
        return sql.queryForObject("SELECT id FROM notifications WHERE execution_id = ? AND event = ?", UUID.class,
                execution, event);
    }
}
