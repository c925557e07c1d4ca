package dev.pledge.app.notification;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox in SQL. Routing and claiming take rows with {@code FOR UPDATE SKIP LOCKED}, so any number of
 * senders on any number of replicas share the work without taking the same row. A claim is a lease
 * ({@code next_attempt_at} moves past the claim timeout): a sender that dies after sending leaves the
 * delivery PENDING, and it is claimed and sent again when the lease ends (at least once, same id).
 */
public class NotificationStore {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final NamedParameterJdbcTemplate jdbc;

    public NotificationStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes a notification in the caller's transaction (for changes the database trigger does not see:
     * budgets, plans, expiring commitments). A second call with the same {@code dedupeKey} writes nothing;
     * returns whether this one did.
     */
    public boolean enqueue(NotificationEvent event, String dedupeKey, UUID executionId, Map<String, ?> payload) {
        return jdbc.update("""
                        INSERT INTO notifications (event, dedupe_key, execution_id, payload)
                        VALUES (:event, :key, :execution, CAST(:payload AS jsonb))
                        ON CONFLICT (dedupe_key) DO NOTHING""",
                new MapSqlParameterSource().addValue("event", event.wireName()).addValue("key", dedupeKey)
                        .addValue("execution", executionId)
                        .addValue("payload", JSON.writeValueAsString(payload))) == 1;
    }

    /** Unrouted notifications, oldest first, locked until the caller's transaction ends; others skip them. */
    List<Notification> lockUnrouted(int limit) {
        return jdbc.query("""
                        SELECT id, event, occurred_at, execution_id, payload::text AS payload FROM notifications
                        WHERE routed_at IS NULL
                        ORDER BY occurred_at, id
                        LIMIT :limit
                        FOR UPDATE SKIP LOCKED""",
                new MapSqlParameterSource("limit", limit), NOTIFICATION);
    }

    /** The notifications of a purchase, in the order they happened. */
    List<Notification> forExecution(UUID execution) {
        return jdbc.query("SELECT id, event, occurred_at, execution_id, payload::text AS payload FROM notifications "
                        + "WHERE execution_id = :id ORDER BY occurred_at, id",
                new MapSqlParameterSource("id", execution), NOTIFICATION);
    }

    /** Writes the deliveries of a locked notification and marks it routed (caller's transaction). */
    void route(UUID notification, Collection<DeliveryTarget> targets) {
        for (DeliveryTarget t : targets) {
            jdbc.update("""
                            INSERT INTO notification_deliveries (notification_id, channel, target)
                            VALUES (:id, :channel, :target)
                            ON CONFLICT DO NOTHING""",
                    new MapSqlParameterSource().addValue("id", notification).addValue("channel", t.channel())
                            .addValue("target", t.target()));
        }
        jdbc.update("UPDATE notifications SET routed_at = now() WHERE id = :id",
                new MapSqlParameterSource("id", notification));
    }

    /**
     * Who created a purchase, as a person: the owner of the API key it was created with when that key has
     * one, else the recorded actor. Lower case, for comparing with other owners.
     */
    Optional<String> requester(UUID execution) {
        return jdbc.query("""
                        SELECT lower(trim(coalesce((SELECT k.owner FROM api_keys k WHERE 'key:' || k.id = e.created_by),
                                                   e.created_by))) AS who
                        FROM executions e WHERE e.id = :id""",
                new MapSqlParameterSource("id", execution), (rs, n) -> rs.getString("who")).stream().findFirst();
    }

    /** The distinct owners (lower case) of active keys that hold APPROVER; callers keep those that are addresses. */
    List<String> approverOwners() {
        return jdbc.query("""
                        SELECT DISTINCT lower(trim(owner)) AS owner FROM api_keys
                        WHERE revoked_at IS NULL AND 'APPROVER' = ANY (roles) AND owner IS NOT NULL
                        ORDER BY 1""",
                new MapSqlParameterSource(), (rs, n) -> rs.getString("owner"));
    }

    /**
     * Claims up to {@code limit} due deliveries for {@code sender}: each attempt count goes up by one and
     * the row stays invisible for {@code claimTimeout} (database time). One statement, its own transaction.
     */
    List<ClaimedDelivery> claim(String sender, int limit, Duration claimTimeout) {
        return jdbc.query("""
                        WITH due AS (SELECT notification_id, channel, target FROM notification_deliveries
                                     WHERE status = 'PENDING' AND next_attempt_at <= now()
                                     ORDER BY next_attempt_at
                                     LIMIT :limit
                                     FOR UPDATE SKIP LOCKED),
                        claimed AS (UPDATE notification_deliveries d
                                    SET attempts = d.attempts + 1, claimed_by = :sender,
                                        next_attempt_at = now() + :timeoutMillis * interval '1 millisecond'
                                    FROM due
                                    WHERE d.notification_id = due.notification_id AND d.channel = due.channel
                                      AND d.target = due.target AND d.status = 'PENDING'
                                    RETURNING d.notification_id, d.channel, d.target, d.attempts)
                        SELECT n.id, n.event, n.occurred_at, n.execution_id, n.payload::text AS payload,
                               c.channel, c.target, c.attempts
                        FROM claimed c JOIN notifications n ON n.id = c.notification_id
                        ORDER BY n.occurred_at, n.id""",
                new MapSqlParameterSource().addValue("sender", sender).addValue("limit", limit)
                        .addValue("timeoutMillis", claimTimeout.toMillis()),
                (rs, n) -> new ClaimedDelivery(NOTIFICATION.mapRow(rs, n), rs.getString("channel"),
                        rs.getString("target"), rs.getInt("attempts")));
    }

    /** Sent: final. Applies while the delivery is PENDING, whoever claimed it since (a success is a success). */
    boolean markSent(ClaimedDelivery d) {
        return jdbc.update("""
                        UPDATE notification_deliveries SET status = 'SENT', sent_at = now(), claimed_by = NULL
                        WHERE notification_id = :id AND channel = :channel AND target = :target
                          AND status = 'PENDING'""", key(d)) == 1;
    }

    /** Failed, to be tried again after {@code delay}; applies only to this claim (not a later one). */
    boolean retryLater(ClaimedDelivery d, Duration delay, String error) {
        return jdbc.update("""
                        UPDATE notification_deliveries
                        SET next_attempt_at = now() + :delayMillis * interval '1 millisecond', last_error = :error,
                            claimed_by = NULL
                        WHERE notification_id = :id AND channel = :channel AND target = :target
                          AND status = 'PENDING' AND attempts = :attempt""",
                key(d).addValue("delayMillis", delay.toMillis()).addValue("error", error)) == 1;
    }

    /** Failed for the last time: dead-lettered with the error, visible in the API. */
    boolean deadLetter(ClaimedDelivery d, String error) {
        return jdbc.update("""
                        UPDATE notification_deliveries
                        SET status = 'FAILED', failed_at = now(), last_error = :error, claimed_by = NULL
                        WHERE notification_id = :id AND channel = :channel AND target = :target
                          AND status = 'PENDING' AND attempts = :attempt""",
                key(d).addValue("error", error)) == 1;
    }

    /** A delivery as the API lists it. */
    record DeliveryRow(UUID notification, String event, Instant occurredAt, UUID purchase, String channel,
                       String target, String status, int attempts, String lastError, Instant nextAttemptAt,
                       Instant sentAt, Instant failedAt) {
    }

    /** Deliveries with {@code status} (or all), newest first, at most {@code limit}. */
    List<DeliveryRow> deliveries(String status, int limit) {
        return jdbc.query("""
                        SELECT d.notification_id, n.event, n.occurred_at, n.execution_id, d.channel, d.target,
                               d.status, d.attempts, d.last_error, d.next_attempt_at, d.sent_at, d.failed_at
                        FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
                        WHERE CAST(:status AS text) IS NULL OR d.status = :status
                        ORDER BY coalesce(d.failed_at, d.sent_at, n.occurred_at) DESC, d.notification_id, d.channel,
                                 d.target
                        LIMIT :limit""",
                new MapSqlParameterSource().addValue("status", status).addValue("limit", limit),
                (rs, n) -> new DeliveryRow(rs.getObject("notification_id", UUID.class), rs.getString("event"),
                        instant(rs, "occurred_at"), rs.getObject("execution_id", UUID.class), rs.getString("channel"),
                        rs.getString("target"), rs.getString("status"), rs.getInt("attempts"),
                        rs.getString("last_error"), instant(rs, "next_attempt_at"), instant(rs, "sent_at"),
                        instant(rs, "failed_at")));
    }

    /** Deliveries per status (PENDING, SENT, FAILED), for the gauges. */
    Map<String, Long> countsByStatus() {
        Map<String, Long> counts = new java.util.HashMap<>(Map.of("PENDING", 0L, "SENT", 0L, "FAILED", 0L));
        jdbc.query("SELECT status, count(*) AS n FROM notification_deliveries GROUP BY status",
                rs -> {
                    counts.put(rs.getString("status"), rs.getLong("n"));
                });
        return counts;
    }

    private static MapSqlParameterSource key(ClaimedDelivery d) {
        return new MapSqlParameterSource().addValue("id", d.notification().id()).addValue("channel", d.channel())
                .addValue("target", d.target()).addValue("attempt", d.attempt());
    }

    private static final RowMapper<Notification> NOTIFICATION = (rs, n) -> new Notification(
            rs.getObject("id", UUID.class), NotificationEvent.parse("event", rs.getString("event")),
            instant(rs, "occurred_at"), rs.getObject("execution_id", UUID.class), JSON.readTree(rs.getString("payload")));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
