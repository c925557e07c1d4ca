package dev.pledge.app.engine;

import dev.pledge.app.audit.AuditEntry;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.app.execution.ExecutionRows;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.common.idempotency.ExecutionToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The worker side of executions in SQL. The claim is one statement ({@code FOR UPDATE SKIP LOCKED});
 * every later write is conditioned on {@code claimed_by = me} and nothing else, and reports whether
 * the row was ours and whether it changed ({@link OwnedWrite}).
 */
class WorkerStore {
    private static final Logger log = LoggerFactory.getLogger(WorkerStore.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditTrail audit;
    private final EngineMetrics metrics;

    WorkerStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit, EngineMetrics metrics) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * Claims the longest-waiting APPROVED execution whose not_before has passed, if any, and reads its
     * items. The claim commits without waiting for its WAL flush ({@code synchronous_commit = off}
     * for this transaction only): it records no purchase, and PostgreSQL flushes WAL in order, so the
     * write-ahead record's own (synchronous) commit makes the claim durable before any cloud call. A
     * claim lost in a database crash leaves the execution APPROVED, and this worker's next write finds
     * it is not the owner and buys nothing.
     */
    Optional<ClaimedExecution> claim(String worker, Duration lease) {
        return tx.execute(status -> {
            jdbc.getJdbcTemplate().execute("SET LOCAL synchronous_commit = off");
            Optional<ClaimedExecution> claimed = jdbc.query("""
                            UPDATE executions e
                            SET status = 'RUNNING', claimed_by = :worker,
                                lease_until = now() + :leaseMillis * interval '1 millisecond',
                                claims = e.claims + 1, started_at = coalesce(e.started_at, now())
                            WHERE e.id = (SELECT id FROM executions
                                          WHERE status = 'APPROVED' AND (not_before IS NULL OR not_before <= now())
                                          ORDER BY approved_at NULLS FIRST, id
                                          LIMIT 1
                                          FOR UPDATE SKIP LOCKED)
                              AND e.status = 'APPROVED'
                            RETURNING e.id, e.execution_token, e.attempt, e.claims, e.approved_at, e.redriven_at, now() AS claimed_at""",
                    new MapSqlParameterSource().addValue("worker", worker).addValue("leaseMillis", lease.toMillis()),
                    (rs, n) -> new ClaimedExecution(rs.getObject("id", UUID.class),
                            new ExecutionToken(rs.getString("execution_token")), rs.getInt("attempt"),
                            rs.getInt("claims"), worker,
                            Optional.ofNullable(ExecutionRows.instant(rs, "redriven_at"))
                                    .orElse(ExecutionRows.instant(rs, "approved_at")),
                            ExecutionRows.instant(rs, "claimed_at"), List.of()))
                    .stream().findFirst();
            claimed.ifPresent(c -> audit.append(AuditEntry.transition(actor(worker), "CLAIM", c.id(),
                    c.token().value(), ExecutionStatus.APPROVED, ExecutionStatus.RUNNING,
                    "attempt " + c.attempt() + ", claim " + c.claims())));
            // the items in the same transaction: one commit for claim and read
            return claimed.map(c -> c.withItems(items(c.id())));
        });
    }

    /** Extends the lease; false when the execution is no longer ours. */
    boolean heartbeat(UUID id, String worker, Duration lease) {
        int n = jdbc.update("""
                        UPDATE executions SET lease_until = now() + :leaseMillis * interval '1 millisecond'
                        WHERE id = :id AND claimed_by = :worker""",
                new MapSqlParameterSource().addValue("id", id).addValue("worker", worker)
                        .addValue("leaseMillis", lease.toMillis()));
        return n == 1;
    }

    List<WorkItem> items(UUID id) {
        return jdbc.query("SELECT " + ExecutionRows.ITEM_COLUMNS + """
                        , ARRAY(SELECT a.started_at FROM item_attempts a
                                WHERE a.execution_id = i.execution_id AND a.position = i.position
                                ORDER BY a.attempt) AS attempt_starts,
                          coalesce((SELECT a.result IS NULL OR a.result = 'OUTCOME_UNKNOWN' FROM item_attempts a
                                    WHERE a.execution_id = i.execution_id AND a.position = i.position
                                    ORDER BY a.attempt DESC LIMIT 1), false) AS last_unknown
                        FROM items i WHERE i.execution_id = :id ORDER BY i.position""",
                new MapSqlParameterSource("id", id),
                (rs, n) -> new WorkItem(rs.getInt("position"), ExecutionRows.request(rs),
                        ItemStatus.valueOf(rs.getString("status")), instants(rs.getArray("attempt_starts")),
                        rs.getBoolean("last_unknown")));
    }

    /** @param lockBusy the purchase lock was taken by someone else: nothing was written, try again later */
    record AttemptStart(OwnedWrite write, int attempt, Instant startedAt, boolean lockBusy) {
        static final AttemptStart BUSY = new AttemptStart(null, 0, null, true);
    }

    /**
     * The write-ahead record, committed before the cloud call: the item is PURCHASING and an attempt row
     * with its start instant exists. A crash after this leaves evidence the next attempt's guard uses.
     */
    AttemptStart recordAttempt(ClaimedExecution c, int position) {
        return recordAttempt(c, position, () -> true);
    }

    /**
     * The write-ahead record, in the same transaction as {@code lock} (the purchase lock, taken first):
     * when {@code lock} says no, nothing is written and the result is {@link AttemptStart#BUSY}.
     */
    AttemptStart recordAttempt(ClaimedExecution c, int position, BooleanSupplier lock) {
        return tx.execute(status -> {
            if (!lock.getAsBoolean()) {
                return AttemptStart.BUSY;
            }
            AttemptStart start = jdbc.queryForObject("""
                            WITH owner AS (SELECT id FROM executions WHERE id = :id AND claimed_by = :worker FOR SHARE),
                            item AS (UPDATE items i
                                     SET status = 'PURCHASING', attempts = i.attempts + 1,
                                         attempt_started_at = clock_timestamp(), attempt_finished_at = NULL,
                                         failure_kind = NULL, error = NULL
                                     FROM owner
                                     WHERE i.execution_id = owner.id AND i.position = :position
                                       AND i.status IN ('PENDING', 'PURCHASING')
                                     RETURNING i.attempts, i.attempt_started_at),
                            attempt AS (INSERT INTO item_attempts (execution_id, position, attempt, worker, started_at)
                                        SELECT :id, :position, attempts, :worker, attempt_started_at FROM item
                                        RETURNING attempt, started_at)
                            SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM attempt) AS changed,
                                   (SELECT attempt FROM attempt) AS attempt, (SELECT started_at FROM attempt) AS started_at""",
                    new MapSqlParameterSource().addValue("id", c.id()).addValue("worker", c.worker())
                            .addValue("position", position),
                    (rs, n) -> new AttemptStart(OwnedWrite.of(rs.getLong("owned"), rs.getLong("changed")),
                            rs.getInt("attempt"), ExecutionRows.instant(rs, "started_at"), false));
            if (start.write() == OwnedWrite.APPLIED) {
                audit.append(AuditEntry.item(actor(c.worker()), "ITEM_ATTEMPT", c.id(), position, c.token().value(),
                        null, ItemStatus.PURCHASING, "attempt " + start.attempt()));
            }
            return start;
        });
    }

    /** The outcome of the cloud call, after it. */
    OwnedWrite recordOutcome(ClaimedExecution c, int position, int attempt, ItemResult result) {
        return recordOutcome(c, position, attempt, result, false, () -> { }).write();
    }

    /** What {@link #recordOutcome(ClaimedExecution, int, int, ItemResult, boolean, Runnable)} wrote. */
    record Outcome(OwnedWrite write, Finish finish) {
    }

    /**
     * The outcome of the cloud call, after it; with {@code finish}, the final status too (the last item
     * of the run), and {@code beforeCommit} (releasing the purchase lock) last: all in one transaction.
     * The finish is only attempted when the outcome was written.
     */
    Outcome recordOutcome(ClaimedExecution c, int position, int attempt, ItemResult result, boolean finish,
                          Runnable beforeCommit) {
        Outcome outcome = tx.execute(status -> {
            OwnedWrite w = writeOutcome(c, position, attempt, result);
            Finish f = finish && w == OwnedWrite.APPLIED ? writeFinish(c) : null;
            beforeCommit.run();
            return new Outcome(w, f);
        });
        checked(outcome.write(), "item-outcome", c, position);
        if (outcome.finish() != null) {
            checked(outcome.finish().write(), "finish", c, null);
        }
        return outcome;
    }

    private OwnedWrite writeOutcome(ClaimedExecution c, int position, int attempt, ItemResult result) {
        ItemStatus to = result.owned() ? ItemStatus.BOUGHT : ItemStatus.FAILED;
        OwnedWrite w = jdbc.queryForObject("""
                        WITH owner AS (SELECT id FROM executions WHERE id = :id AND claimed_by = :worker FOR SHARE),
                        item AS (UPDATE items i
                                 SET status = :status, outcome = :outcome, commitment_id = :commitmentId,
                                     commitment_key = :commitmentKey, failure_kind = :failureKind, error = :error,
                                     attempt_finished_at = clock_timestamp()
                                 FROM owner
                                 WHERE i.execution_id = owner.id AND i.position = :position
                                   AND i.status = 'PURCHASING' AND i.attempts = :attempt
                                 RETURNING i.position),
                        attempt AS (UPDATE item_attempts a SET finished_at = clock_timestamp(), result = :result
                                    FROM item
                                    WHERE a.execution_id = :id AND a.position = item.position AND a.attempt = :attempt
                                    RETURNING a.attempt)
                        SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM item) AS changed""",
                new MapSqlParameterSource().addValue("id", c.id()).addValue("worker", c.worker())
                        .addValue("position", position).addValue("attempt", attempt)
                        .addValue("status", to.name())
                        .addValue("outcome", result.owned() ? result.outcome().kind().name() : null)
                        .addValue("commitmentId", result.owned() ? result.outcome().commitmentId() : null)
                        .addValue("commitmentKey", result.owned() ? result.outcome().key() : null)
                        .addValue("failureKind", result.owned() ? null : result.failure().name())
                        .addValue("error", result.error())
                        .addValue("result", result.result()),
                (rs, n) -> OwnedWrite.of(rs.getLong("owned"), rs.getLong("changed")));
        audit.append(AuditEntry.item(actor(c.worker()), w == OwnedWrite.APPLIED ? "ITEM_OUTCOME" : "ITEM_OUTCOME_UNRECORDED",
                c.id(), position, c.token().value(), ItemStatus.PURCHASING, w == OwnedWrite.APPLIED ? to : null,
                result.owned() ? result.outcome().kind() + " " + result.outcome().commitmentId()
                        : result.failure() + ": " + result.error()));
        return w;
    }

    /** RUNNING -> SUCCEEDED / PARTIALLY_SUCCEEDED / FAILED, computed from the items in the same statement. */
    record Finish(OwnedWrite write, ExecutionStatus status, String error) {
    }

    Finish finish(ClaimedExecution c) {
        Finish finish = tx.execute(status -> writeFinish(c));
        checked(finish.write(), "finish", c, null);
        return finish;
    }

    private Finish writeFinish(ClaimedExecution c) {
        Finish f = jdbc.queryForObject("""
                        WITH owner AS (SELECT id FROM executions WHERE id = :id AND claimed_by = :worker FOR UPDATE),
                        outcome AS (SELECT CASE WHEN count(*) FILTER (WHERE status <> 'BOUGHT') = 0 THEN 'SUCCEEDED'
                                                WHEN count(*) FILTER (WHERE status = 'BOUGHT') > 0 THEN 'PARTIALLY_SUCCEEDED'
                                                ELSE 'FAILED' END AS status,
                                           left(string_agg('item ' || position || ': ' || coalesce(error, status), '; '
                                                           ORDER BY position) FILTER (WHERE status <> 'BOUGHT'), 2000) AS error
                                    FROM items WHERE execution_id = :id),
                        moved AS (UPDATE executions e
                                  SET status = outcome.status, claimed_by = NULL, lease_until = NULL,
                                      finished_at = now(),
                                      last_error = outcome.error
                                  FROM owner, outcome
                                  WHERE e.id = owner.id AND e.status = 'RUNNING'
                                  RETURNING e.status, e.last_error)
                        SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM moved) AS changed,
                               (SELECT status FROM moved) AS status, (SELECT last_error FROM moved) AS error""",
                new MapSqlParameterSource().addValue("id", c.id()).addValue("worker", c.worker()),
                (rs, n) -> new Finish(OwnedWrite.of(rs.getLong("owned"), rs.getLong("changed")),
                        rs.getString("status") == null ? null : ExecutionStatus.valueOf(rs.getString("status")),
                        rs.getString("error")));
        if (f.write() == OwnedWrite.APPLIED) {
            audit.append(AuditEntry.transition(actor(c.worker()), "FINISH", c.id(), c.token().value(),
                    ExecutionStatus.RUNNING, f.status(), f.error()));
        }
        return f;
    }

    /** RUNNING -> APPROVED at shutdown, so another worker can continue at once; the claim is not counted. */
    OwnedWrite release(ClaimedExecution c, String why) {
        OwnedWrite write = tx.execute(status -> {
            OwnedWrite w = jdbc.queryForObject("""
                            WITH owner AS (SELECT id FROM executions WHERE id = :id AND claimed_by = :worker FOR UPDATE),
                            moved AS (UPDATE executions e
                                      SET status = 'APPROVED', claimed_by = NULL, lease_until = NULL,
                                          claims = greatest(e.claims - 1, 0)
                                      FROM owner WHERE e.id = owner.id AND e.status = 'RUNNING'
                                      RETURNING e.id)
                            SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM moved) AS changed""",
                    new MapSqlParameterSource().addValue("id", c.id()).addValue("worker", c.worker()),
                    (rs, n) -> OwnedWrite.of(rs.getLong("owned"), rs.getLong("changed")));
            if (w == OwnedWrite.APPLIED) {
                audit.append(AuditEntry.transition(actor(c.worker()), "RELEASE", c.id(), c.token().value(),
                        ExecutionStatus.RUNNING, ExecutionStatus.APPROVED, why));
            }
            return w;
        });
        return checked(write, "release", c, null);
    }

    /** Logs and counts what a write found; NOT_OWNER is expected after a takeover, OWNED_UNCHANGED never is. */
    OwnedWrite checked(OwnedWrite write, String what, ClaimedExecution c, Integer position) {
        String item = position == null ? "" : " item " + position;
        switch (write) {
            case NOT_OWNER -> {
                metrics.leaseLost(what);
                log.warn("worker {} lost execution {} (token {}){}: its {} was not written; another worker owns it now",
                        c.worker(), c.id(), c.token().masked(), item, what);
            }
            case OWNED_UNCHANGED -> {
                metrics.ownedWriteUnchanged(what);
                log.error("worker {} owns execution {} (token {}){} but its {} changed nothing; the row is not in the "
                        + "state the worker expects", c.worker(), c.id(), c.token().masked(), item, what);
            }
            case APPLIED -> {
            }
        }
        return write;
    }

    static String actor(String worker) {
        return "worker:" + worker;
    }

    private static List<Instant> instants(Array array) throws SQLException {
        List<Instant> list = new ArrayList<>();
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                list.add(((Timestamp) o).toInstant());
            }
        }
        return list;
    }
}
