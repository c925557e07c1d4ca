package dev.pledge.app.engine;

import dev.pledge.app.audit.AuditEntry;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.app.execution.ExecutionRows;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.logging.Masking;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.PriceCeiling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

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
     * The final status and error of an execution from its items' statuses ({@code status},
     * {@code error}, {@code position} of the rows after it): CONFIRMING while an item waits for the
     * cloud to finish its order, else SUCCEEDED when all were bought, PARTIALLY_SUCCEEDED when some
     * were, else FAILED.
     */
    static final String FINAL_STATUS = """
            SELECT CASE WHEN count(*) FILTER (WHERE status = 'CONFIRMING') > 0 THEN 'CONFIRMING'
                        WHEN count(*) FILTER (WHERE status <> 'BOUGHT') = 0 THEN 'SUCCEEDED'
                        WHEN count(*) FILTER (WHERE status = 'BOUGHT') > 0 THEN 'PARTIALLY_SUCCEEDED'
                        ELSE 'FAILED' END AS status,
                   left(string_agg('item ' || position || ': ' || coalesce(error, status), '; '
                                   ORDER BY position) FILTER (WHERE status NOT IN ('BOUGHT', 'CONFIRMING')), 2000)
                       AS error""";

    /** The item columns a worker reads, with every earlier attempt: start, end, may it have bought (for {@link WorkItem}). */
    private static final String WORK_ITEM_COLUMNS = ExecutionRows.ITEM_COLUMNS + """
            , ARRAY(SELECT a.started_at FROM item_attempts a
                    WHERE a.execution_id = i.execution_id AND a.position = i.position
                    ORDER BY a.attempt) AS attempt_starts,
              ARRAY(SELECT a.finished_at FROM item_attempts a
                    WHERE a.execution_id = i.execution_id AND a.position = i.position
                    ORDER BY a.attempt) AS attempt_ends,
              ARRAY(SELECT a.result IS NULL OR a.result = 'OUTCOME_UNKNOWN' FROM item_attempts a
                    WHERE a.execution_id = i.execution_id AND a.position = i.position
                    ORDER BY a.attempt) AS attempt_may_have_bought,
              (SELECT q.currency || ' ' || q.ceiling_upfront || ' ' || q.ceiling_recurring || ' ' || q.recurring_unit
               FROM item_quotes q WHERE q.execution_id = i.execution_id AND q.position = i.position
                 AND q.ceiling_upfront IS NOT NULL) AS ceiling""";

    /**
     * Masks an execution token in SQL as {@link dev.pledge.common.logging.Masking#mask} does for a
     * token (always longer than its visible part): for audit rows written by the statement that
     * reads the token. {@code WorkerStoreTest} checks both agree.
     */
    static final String MASKED_TOKEN_SQL = "left(%1$s, " + Masking.VISIBLE + ") || '\u2026'";

    /**
     * Claims the longest-waiting APPROVED execution whose not_before has passed, if any, with its
     * audit row and its items, in one statement (one round trip, its own transaction). See
     * {@link #claim(String, Duration, int, int)}.
     */
    Optional<ClaimedExecution> claim(String worker, Duration lease) {
        return claim(worker, lease, 1, 1).stream().findFirst();
    }

    /**
     * Claims up to {@code max} of the longest-waiting APPROVED executions whose not_before has passed,
     * oldest first, each with its own CLAIM audit row, lease and items, in one statement (one round
     * trip, its own transaction). It takes more than one only when the backlog is deep: at most the
     * APPROVED count (from the status counters) divided by {@code workers}, so a shallow queue is
     * still spread over every worker. The claim commits without waiting for its WAL flush
     * ({@code synchronous_commit} off for this transaction only): it records no purchase, and
     * PostgreSQL flushes WAL in order, so the write-ahead record's own (synchronous) commit makes the
     * claim durable before any cloud call. A claim lost in a database crash leaves the execution
     * APPROVED, and this worker's next write finds it is not the owner and buys nothing.
     */
    List<ClaimedExecution> claim(String worker, Duration lease, int max, int workers) {
        java.util.Map<UUID, ClaimedExecution> rows = new java.util.LinkedHashMap<>();
        java.util.Map<UUID, List<WorkItem>> items = new java.util.HashMap<>();
        CLAIM.query(jdbc.getJdbcOperations(),
                new MapSqlParameterSource().addValue("worker", worker).addValue("leaseMillis", lease.toMillis())
                        .addValue("actor", actor(worker)).addValue("max", max).addValue("workers", workers),
                rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    if (!rows.containsKey(id)) {
                        rows.put(id, new ClaimedExecution(id,
                                new ExecutionToken(rs.getString("execution_token")), rs.getInt("attempt"),
                                rs.getInt("claims"), worker,
                                Optional.ofNullable(ExecutionRows.instant(rs, "redriven_at"))
                                        .orElse(ExecutionRows.instant(rs, "approved_at")),
                                ExecutionRows.instant(rs, "claimed_at"), List.of()));
                        items.put(id, new ArrayList<>());
                    }
                    if (rs.getObject("position") != null) {
                        items.get(id).add(workItem(rs));
                    }
                });
        List<ClaimedExecution> claimed = new ArrayList<>(rows.size());
        for (ClaimedExecution c : rows.values()) {
            claimed.add(c.withItems(items.get(c.id())));
        }
        return claimed;
    }

    /** The claim statement (built once: its text is the prepared statement's cache key). */
    private static final NamedStatement CLAIM = new NamedStatement("""
            WITH cfg AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
            claimed AS (UPDATE executions e
                        SET status = 'RUNNING', claimed_by = :worker,
                            lease_until = now() + :leaseMillis * interval '1 millisecond',
                            claims = e.claims + 1, started_at = coalesce(e.started_at, now())
                        FROM cfg
                        -- evaluated once (an init plan), then the rows it locked are updated by primary key
                        WHERE e.id = ANY (ARRAY(SELECT id FROM executions
                                                WHERE status = 'APPROVED' AND (not_before IS NULL OR not_before <= now())
                                                ORDER BY approved_at NULLS FIRST, id
                                                LIMIT CASE WHEN :max <= 1 THEN 1
                                                           ELSE least(:max, greatest(1, CAST((SELECT coalesce(sum(executions), 0)
                                                                  FROM execution_status_count_slots
                                                                  WHERE status = 'APPROVED') AS bigint) / :workers))
                                                      END
                                                FOR UPDATE SKIP LOCKED))
                          AND e.status = 'APPROVED'
                        RETURNING e.id, e.execution_token, e.attempt, e.claims, e.approved_at, e.redriven_at),
            audit AS (INSERT INTO audit_events (actor, actor_owner, action, execution_id, from_status, to_status,
                                                token_masked, detail)
                      SELECT :actor, :actor, 'CLAIM', id, 'APPROVED', 'RUNNING', %s,
                             'attempt ' || attempt || ', claim ' || claims
                      FROM claimed ORDER BY approved_at NULLS FIRST, id)
            SELECT c.id, c.execution_token, c.attempt, c.claims, c.approved_at, c.redriven_at,
                   now() AS claimed_at, %s
            FROM claimed c LEFT JOIN items i ON i.execution_id = c.id
            ORDER BY c.approved_at NULLS FIRST, c.id, i.position""".formatted(
            MASKED_TOKEN_SQL.formatted("execution_token"), WORK_ITEM_COLUMNS));

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
        return jdbc.query("SELECT " + WORK_ITEM_COLUMNS + " FROM items i WHERE i.execution_id = :id ORDER BY i.position",
                new MapSqlParameterSource("id", id), (rs, n) -> workItem(rs));
    }

    private static WorkItem workItem(ResultSet rs) throws SQLException {
        List<Instant> starts = instants(rs.getArray("attempt_starts"));
        List<Instant> ends = instants(rs.getArray("attempt_ends"));
        Object[] may = (Object[]) rs.getArray("attempt_may_have_bought").getArray();
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            attempts.add(new Attempt(starts.get(i), ends.get(i), Boolean.TRUE.equals(may[i])));
        }
        return new WorkItem(rs.getInt("position"), ExecutionRows.request(rs),
                ItemStatus.valueOf(rs.getString("status")), attempts, ceiling(rs.getString("ceiling")));
    }

    /** The approved price ceiling (issue 16) as the item query spells it: currency, upfront, recurring, unit. */
    private static PriceCeiling ceiling(String spelled) {
        if (spelled == null) {
            return null;
        }
        String[] p = spelled.split(" ");
        return new PriceCeiling(p[0], new java.math.BigDecimal(p[1]), new java.math.BigDecimal(p[2]), p[3]);
    }

    /**
     * What the write-ahead statement did.
     *
     * @param lockBusy        the purchase lock was taken by someone else: nothing was written
     * @param accountDisabled the item's account is disabled: the item was failed instead (no lock, no attempt)
     * @param taken           commitment ids other items of the same account and type record (for the guard)
     * @param undecidedSiblings other items of the same execution with exactly the same request that have an
     *                        attempt that may have bought and record no commitment (for the guard: see
     *                        {@link dev.pledge.common.spi.PurchaseContext#undecidedSiblings()})
     */
    record AttemptStart(OwnedWrite write, int attempt, Instant startedAt, boolean lockBusy, boolean accountDisabled,
                        Set<String> taken, int undecidedSiblings) {
        static final AttemptStart BUSY = new AttemptStart(null, 0, null, true, false, Set.of(), 0);
    }

    /**
     * The write-ahead record, committed before the cloud call: the item is PURCHASING and an attempt row
     * with its start instant exists. A crash after this leaves evidence the next attempt's guard uses.
     */
    AttemptStart recordAttempt(ClaimedExecution c, int position) {
        return attempt(c, position, null, null);
    }

    /**
     * The write-ahead record with the purchase lock {@code lockKey}, taken first in the same statement
     * on the pinned connection (one round trip, one synchronous commit): when the lock is busy nothing
     * is written and the result is {@link AttemptStart#BUSY}. When the item's account is disabled, no
     * lock is taken and the item is failed with {@code disabled}'s words instead. A lock taken for a
     * write that did not apply (not the owner) stays held until {@code pinned} is closed.
     */
    AttemptStart recordAttempt(ClaimedExecution c, int position, PurchaseLocks.Pinned pinned, String lockKey,
                               ItemResult disabled) {
        pinned.mayHold(lockKey);
        AttemptStart start = attempt(c, position, lockKey, disabled);
        pinned.lockTaken(!start.lockBusy() && !start.accountDisabled());
        return start;
    }

    /**
     * One statement: is the account enabled; the purchase lock; the owner check; the item PURCHASING, its
     * attempt row and audit row (or, account disabled, the item FAILED with its audit row); and the
     * commitments other items of the account and type record. Those are read after the lock is ours;
     * an item of the account and type that is PURCHASING in this statement's snapshot is read with a
     * share lock, so a worker that released the lock but has not committed its outcome yet is waited
     * for and its commitment is seen. And the item's undecided identical siblings: items of the same
     * execution only (one worker works through them in order, so none is in flight meanwhile) with
     * the same request column by column, no commitment, and an attempt that may have bought.
     */
    private AttemptStart attempt(ClaimedExecution c, int position, String lockKey, ItemResult disabled) {
        ItemResult ifDisabled = disabled == null ? ItemResult.failed(FailureKind.REJECTED, "account disabled; "
                + "nothing bought") : disabled;
        return ATTEMPT.queryForObject(jdbc.getJdbcOperations(),
                new MapSqlParameterSource().addValue("id", c.id()).addValue("worker", c.worker())
                        .addValue("position", position).addValue("lockKey", lockKey)
                        .addValue("disabledKind", ifDisabled.failure().name())
                        .addValue("disabledError", ifDisabled.error())
                        .addValue("actor", actor(c.worker())).addValue("tokenMasked", c.token().masked()),
                (rs, n) -> {
                    if (!rs.getBoolean("locked")) {
                        return AttemptStart.BUSY;
                    }
                    Set<String> taken = new HashSet<>();
                    for (Object o : (Object[]) rs.getArray("taken").getArray()) {
                        taken.add((String) o);
                    }
                    return new AttemptStart(OwnedWrite.of(rs.getLong("owned"), rs.getLong("changed")),
                            rs.getInt("attempt"), ExecutionRows.instant(rs, "started_at"), false,
                            !rs.getBoolean("enabled"), taken, rs.getInt("undecided_siblings"));
                });
    }

    /** The write-ahead statement of {@link #attempt}, translated once. */
    private static final NamedStatement ATTEMPT = new NamedStatement("""
                        WITH acct AS (SELECT a.enabled, i.cloud_account, i.type FROM items i JOIN accounts a ON a.id = i.account_id
                                      WHERE i.execution_id = :id AND i.position = :position),
                        lock AS (SELECT acct.enabled,
                                        CASE WHEN NOT acct.enabled OR CAST(:lockKey AS text) IS NULL THEN true
                                             ELSE pg_try_advisory_lock(hashtextextended(:lockKey, 0)) END AS got
                                 FROM acct),
                        owner AS (SELECT e.id, lock.enabled FROM executions e, lock
                                  WHERE lock.got AND e.id = :id AND e.claimed_by = :worker FOR SHARE OF e),
                        item AS (UPDATE items i
                                 SET status = 'PURCHASING', attempts = i.attempts + 1,
                                     attempt_started_at = clock_timestamp(), attempt_finished_at = NULL,
                                     failure_kind = NULL, error = NULL
                                 FROM owner
                                 WHERE owner.enabled AND i.execution_id = owner.id AND i.position = :position
                                   AND i.status IN ('PENDING', 'PURCHASING')
                                 RETURNING i.attempts, i.attempt_started_at),
                        disabled AS (UPDATE items i
                                     SET status = 'FAILED', failure_kind = :disabledKind, error = :disabledError
                                     FROM owner
                                     WHERE NOT owner.enabled AND i.execution_id = owner.id AND i.position = :position
                                       AND i.status IN ('PENDING', 'PURCHASING')
                                     RETURNING i.position),
                        attempt AS (INSERT INTO item_attempts (execution_id, position, attempt, worker, started_at)
                                    SELECT :id, :position, attempts, :worker, attempt_started_at FROM item
                                    RETURNING attempt, started_at),
                        audit AS (INSERT INTO audit_events (actor, actor_owner, action, execution_id, item_position, to_status,
                                                            token_masked, detail)
                                  SELECT :actor, :actor, 'ITEM_ATTEMPT', :id, :position, 'PURCHASING', :tokenMasked,
                                         'attempt ' || attempt
                                  FROM attempt
                                  UNION ALL
                                  SELECT :actor, :actor, 'ITEM_ACCOUNT_DISABLED', :id, :position, 'FAILED', :tokenMasked,
                                         :disabledError
                                  FROM disabled),
                        recorded AS (SELECT o.commitment_id FROM items o, acct, owner
                                     WHERE owner.enabled AND o.cloud_account = acct.cloud_account AND o.type = acct.type
                                       AND o.commitment_id IS NOT NULL
                                       AND (o.execution_id, o.position) <> (CAST(:id AS uuid), :position)),
                        being_bought AS (SELECT o.execution_id, o.position FROM items o, acct, owner
                                         WHERE owner.enabled AND o.cloud_account = acct.cloud_account
                                           AND o.type = acct.type AND o.status = 'PURCHASING'
                                           AND (o.execution_id, o.position) <> (CAST(:id AS uuid), :position)),
                        settled AS (SELECT p.commitment_id FROM items p
                                    JOIN being_bought b ON p.execution_id = b.execution_id AND p.position = b.position
                                    FOR SHARE OF p),
                        siblings AS (SELECT count(*) AS n FROM items me
                                     JOIN items s ON s.execution_id = me.execution_id AND s.position <> me.position
                                                 AND s.account_id = me.account_id AND s.type = me.type
                                                 AND s.cloud_account = me.cloud_account AND s.region = me.region
                                                 AND s.offering = me.offering AND s.quantity = me.quantity
                                                 AND s.term = me.term AND s.payment IS NOT DISTINCT FROM me.payment
                                                 AND s.attributes = me.attributes
                                     WHERE me.execution_id = :id AND me.position = :position
                                       AND s.commitment_id IS NULL
                                       AND EXISTS (SELECT 1 FROM item_attempts a
                                                   WHERE a.execution_id = s.execution_id AND a.position = s.position
                                                     AND (a.result IS NULL OR a.result = 'OUTCOME_UNKNOWN')))
                        SELECT (SELECT got FROM lock) AS locked, (SELECT enabled FROM lock) AS enabled,
                               (SELECT count(*) FROM owner) AS owned,
                               (SELECT count(*) FROM attempt) + (SELECT count(*) FROM disabled) AS changed,
                               (SELECT attempt FROM attempt) AS attempt, (SELECT started_at FROM attempt) AS started_at,
                               ARRAY(SELECT commitment_id FROM recorded
                                     UNION SELECT commitment_id FROM settled WHERE commitment_id IS NOT NULL) AS taken,
                               (SELECT n FROM siblings) AS undecided_siblings""");

    /** The outcome of the cloud call, after it. */
    OwnedWrite recordOutcome(ClaimedExecution c, int position, int attempt, ItemResult result) {
        return recordOutcome(c, position, attempt, result, false, null).write();
    }

    /**
     * What {@link #recordOutcome(ClaimedExecution, int, int, ItemResult, boolean, PurchaseLocks.Pinned)} wrote.
     *
     * @param conflict the commitment the executor returned is recorded by another item: the item was
     *                 failed for a person to check instead (the error says which item)
     */
    record Outcome(OwnedWrite write, Finish finish, String conflict) {
    }

    /**
     * The outcome of the cloud call, after it, with its audit row; with {@code finish}, the final status
     * too (the last item of the run, computed from the other items and this one's new status); and the
     * release of {@code pinned}'s purchase lock: one statement, one round trip, one synchronous commit
     * (which also ends the transaction the purchase gate opened on that connection). The finish applies
     * only when the outcome was written.
     *
     * <p>A commitment another item of the same cloud records is never recorded twice (a unique index
     * says so too): the item is FAILED with an unknown outcome naming that item, for a person to check.
     * When the index refuses the write (the other item committed after this statement's snapshot), the
     * statement runs again and then sees it.
     */
    Outcome recordOutcome(ClaimedExecution c, int position, int attempt, ItemResult result, boolean finish,
                          PurchaseLocks.Pinned pinned) {
        String cloud = c.items().stream().filter(i -> i.position() == position).findFirst()
                .map(i -> i.request().type().cloud().slug()).orElseThrow();
        Outcome outcome;
        try {
            outcome = outcome(c, position, attempt, result, cloud, finish, pinned == null ? null : pinned.held());
            if (pinned != null) {
                pinned.commitOpen();
            }
        } catch (DuplicateKeyException e) {
            if (pinned != null) {
                pinned.rollbackOpen();
            }
            log.warn("execution {} item {}: commitment {} was recorded by another item meanwhile; recording the "
                    + "conflict", c.id(), position, result.owned() ? result.outcome().commitmentId() : null);
            outcome = outcome(c, position, attempt, result, cloud, finish, pinned == null ? null : pinned.held());
        } catch (RuntimeException e) {
            if (pinned != null) {
                pinned.rollbackOpen();
            }
            throw e;
        }
        if (pinned != null) {
            pinned.released();
        }
        checked(outcome.write(), "item-outcome", c, position);
        if (outcome.finish() != null) {
            checked(outcome.finish().write(), "finish", c, null);
        }
        if (outcome.conflict() != null) {
            metrics.commitmentConflict();
            log.error("execution {} (token {}) item {}: {}", c.id(), c.token().masked(), position, outcome.conflict());
        }
        return outcome;
    }

    private Outcome outcome(ClaimedExecution c, int position, int attempt, ItemResult result, String cloud,
                            boolean finish, String unlockKey) {
        ItemStatus to = !result.owned() ? ItemStatus.FAILED
                : result.outcome().confirming() ? ItemStatus.CONFIRMING : ItemStatus.BOUGHT;
        return OUTCOME.queryForObject(jdbc.getJdbcOperations(),
                new MapSqlParameterSource().addValue("id", c.id()).addValue("worker", c.worker())
                        .addValue("position", position).addValue("attempt", attempt)
                        .addValue("status", to.name()).addValue("cloud", cloud)
                        .addValue("outcome", result.owned() ? result.outcome().kind().name() : null)
                        .addValue("commitmentId", result.owned() ? result.outcome().commitmentId() : null)
                        .addValue("commitmentKey", result.owned() ? result.outcome().key() : null)
                        .addValue("failureKind", result.owned() ? null : result.failure().name())
                        .addValue("error", result.error())
                        .addValue("result", result.result())
                        .addValue("finish", finish)
                        .addValue("lockKey", unlockKey)
                        .addValue("actor", actor(c.worker())).addValue("tokenMasked", c.token().masked())
                        .addValue("detail", result.owned()
                                ? result.outcome().kind() + " " + result.outcome().commitmentId()
                                        + (result.outcome().confirming() ? " (confirming: the cloud has not finished "
                                                + "the order yet)" : "")
                                : result.failure() + ": " + result.error()),
                (rs, n) -> {
                    OwnedWrite w = OwnedWrite.of(rs.getLong("owned"), rs.getLong("changed"));
                    Finish f = finish && w == OwnedWrite.APPLIED
                            ? new Finish(OwnedWrite.of(rs.getLong("owned"), rs.getLong("finished")),
                                    rs.getString("final_status") == null ? null
                                            : ExecutionStatus.valueOf(rs.getString("final_status")),
                                    rs.getString("final_error"))
                            : null;
                    return new Outcome(w, f, rs.getString("conflict"));
                });
    }

    /**
     * Hands the execution back (RUNNING -> APPROVED, not before {@code notBefore} or {@code delay} from
     * now, whichever is later; the claim is not counted), with an audit row, in one statement: because the
     * purchase lock was busy ({@code attempt} 0: nothing was written for the item), or because an earlier
     * attempt of the item may still be in flight ({@code attempt} is the attempt just recorded: it ends
     * as WAITED, nothing sent, and the item is PENDING again with {@code why} as its note). Releases
     * {@code pinned}'s lock in the same statement.
     */
    OwnedWrite handBack(ClaimedExecution c, Integer position, int attempt, Instant notBefore, Duration delay,
                        String action, String why, PurchaseLocks.Pinned pinned) {
        String unlockKey = pinned == null ? null : pinned.held();
        OwnedWrite write = jdbc.queryForObject("""
                        WITH owner AS (SELECT id FROM executions WHERE id = :id AND claimed_by = :worker FOR UPDATE),
                        item AS (UPDATE items i
                                 SET status = 'PENDING', attempt_finished_at = clock_timestamp(), failure_kind = NULL,
                                     error = :why
                                 FROM owner
                                 WHERE :attempt > 0 AND i.execution_id = owner.id AND i.position = :position
                                   AND i.status = 'PURCHASING' AND i.attempts = :attempt
                                 RETURNING i.position),
                        attempt AS (UPDATE item_attempts a SET finished_at = clock_timestamp(), result = 'WAITED'
                                    FROM item
                                    WHERE a.execution_id = :id AND a.position = item.position AND a.attempt = :attempt
                                    RETURNING a.attempt),
                        moved AS (UPDATE executions e
                                  SET status = 'APPROVED', claimed_by = NULL, lease_until = NULL,
                                      claims = greatest(e.claims - 1, 0),
                                      not_before = greatest(coalesce(CAST(:notBefore AS timestamptz), '-infinity'),
                                                            clock_timestamp() + :delayMillis * interval '1 millisecond')
                                  FROM owner WHERE e.id = owner.id AND e.status = 'RUNNING'
                                  RETURNING e.id, e.not_before),
                        -- an execution-level event (no item position): it moves the execution, so the
                        -- execution's chain of statuses in the trail stays unbroken; the detail names the item
                        audit AS (INSERT INTO audit_events (actor, actor_owner, action, execution_id, item_position, from_status,
                                                            to_status, token_masked, detail)
                                  SELECT :actor, :actor, :action, :id, NULL, 'RUNNING', 'APPROVED', :tokenMasked,
                                         'item ' || :position || ': ' || :why || '; not before ' || moved.not_before
                                  FROM moved)
                        SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM moved) AS changed,
                               (SELECT count(*) FROM attempt) AS attempts_ended,
                               CASE WHEN CAST(:lockKey AS text) IS NULL THEN NULL
                                    ELSE pg_advisory_unlock(hashtextextended(:lockKey, 0)) END AS unlocked""",
                new MapSqlParameterSource().addValue("id", c.id()).addValue("worker", c.worker())
                        .addValue("position", position).addValue("attempt", attempt)
                        .addValue("notBefore", ExecutionRows.utc(notBefore))
                        .addValue("delayMillis", delay == null ? 0 : delay.toMillis())
                        .addValue("action", action).addValue("why", why).addValue("lockKey", unlockKey)
                        .addValue("actor", actor(c.worker())).addValue("tokenMasked", c.token().masked()),
                (rs, n) -> OwnedWrite.of(rs.getLong("owned"), rs.getLong("changed")));
        if (pinned != null) {
            // an executor that ran the gate before it decided to wait left the gate's transaction open
            pinned.commitOpen();
            pinned.released();
        }
        return checked(write, "hand-back", c, position);
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
        Finish f = jdbc.queryForObject(FINISH_SQL,
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

    /** The outcome statement (built once: its text is the key of the driver's prepared-statement cache). */
    private static final NamedStatement OUTCOME = new NamedStatement("""
                        WITH owner AS (SELECT id FROM executions WHERE id = :id AND claimed_by = :worker FOR UPDATE),
                        conflict AS (SELECT 'the cloud returned commitment ' || o.commitment_id || ', which item '
                                            || o.position || ' of execution ' || o.execution_id || ' records: this '
                                            || 'item''s outcome is undecided (it may hold a commitment of its own, or '
                                            || 'none); a person must check in the cloud console before a re-drive'
                                            AS error
                                     FROM items o
                                     WHERE CAST(:commitmentId AS text) IS NOT NULL
                                       AND split_part(o.type, '-', 1) = :cloud AND o.commitment_id = :commitmentId
                                       AND (o.execution_id, o.position) <> (CAST(:id AS uuid), :position)
                                     LIMIT 1),
                        x AS (SELECT (SELECT error FROM conflict) AS conflict_error),
                        item AS (UPDATE items i
                                 SET status = CASE WHEN x.conflict_error IS NULL THEN :status ELSE 'FAILED' END,
                                     outcome = CASE WHEN x.conflict_error IS NULL THEN :outcome END,
                                     commitment_id = CASE WHEN x.conflict_error IS NULL THEN :commitmentId END,
                                     commitment_key = :commitmentKey,
                                     failure_kind = CASE WHEN x.conflict_error IS NULL THEN :failureKind
                                                         ELSE 'OUTCOME_UNKNOWN' END,
                                     error = coalesce(x.conflict_error, :error),
                                     attempt_finished_at = clock_timestamp(), confirm_checked_at = NULL
                                 FROM owner, x
                                 WHERE i.execution_id = owner.id AND i.position = :position
                                   AND i.status = 'PURCHASING' AND i.attempts = :attempt
                                 RETURNING i.position, i.status, i.error),
                        attempt AS (UPDATE item_attempts a
                                    SET finished_at = clock_timestamp(),
                                        result = CASE WHEN x.conflict_error IS NULL THEN :result ELSE 'OUTCOME_UNKNOWN' END
                                    FROM item, x
                                    WHERE a.execution_id = :id AND a.position = item.position AND a.attempt = :attempt
                                    RETURNING a.attempt),
                        outcome_audit AS (INSERT INTO audit_events (actor, actor_owner, action, execution_id, item_position,
                                                                    from_status, to_status, token_masked, detail)
                                          SELECT :actor, :actor, CASE WHEN NOT y.changed THEN 'ITEM_OUTCOME_UNRECORDED'
                                                              WHEN x.conflict_error IS NOT NULL THEN 'ITEM_COMMITMENT_CONFLICT'
                                                              ELSE 'ITEM_OUTCOME' END,
                                                 :id, :position, 'PURCHASING',
                                                 CASE WHEN y.changed THEN (SELECT status FROM item) END,
                                                 :tokenMasked, coalesce(x.conflict_error, :detail)
                                          FROM (SELECT EXISTS (SELECT 1 FROM item) AS changed) y, x
                                          RETURNING id),
                        final AS (%s
                                  FROM (SELECT position, status, error FROM items
                                        WHERE execution_id = :id AND position <> :position
                                        UNION ALL
                                        SELECT position, status, error FROM item) all_items),
                        moved AS (UPDATE executions e
                                  SET status = final.status, claimed_by = NULL, lease_until = NULL,
                                      finished_at = CASE WHEN final.status = 'CONFIRMING' THEN NULL
                                                         ELSE clock_timestamp() END,
                                      last_error = final.error
                                  FROM owner, final
                                  WHERE :finish AND e.id = owner.id AND e.status = 'RUNNING'
                                    AND EXISTS (SELECT 1 FROM item)
                                  RETURNING e.status, e.last_error),
                        -- after the outcome's row (reading its id orders the two inserts), so the trail reads in order
                        finish_audit AS (INSERT INTO audit_events (actor, actor_owner, action, execution_id, from_status, to_status,
                                                                   token_masked, detail)
                                         SELECT :actor, :actor, 'FINISH', :id, 'RUNNING', moved.status, :tokenMasked,
                                                moved.last_error
                                         FROM moved, outcome_audit)
                        SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM item) AS changed,
                               (SELECT count(*) FROM moved) AS finished, (SELECT status FROM moved) AS final_status,
                               (SELECT last_error FROM moved) AS final_error,
                               (SELECT error FROM item WHERE EXISTS (SELECT 1 FROM conflict)) AS conflict,
                               CASE WHEN CAST(:lockKey AS text) IS NULL THEN NULL
                                    ELSE pg_advisory_unlock(hashtextextended(:lockKey, 0)) END AS unlocked""".formatted(FINAL_STATUS));

    /** The final-status statement of {@link #finish}, built once. */
    private static final String FINISH_SQL = """
                        WITH owner AS (SELECT id FROM executions WHERE id = :id AND claimed_by = :worker FOR UPDATE),
                        outcome AS (%s FROM items WHERE execution_id = :id),
                        moved AS (UPDATE executions e
                                  SET status = outcome.status, claimed_by = NULL, lease_until = NULL,
                                      finished_at = CASE WHEN outcome.status = 'CONFIRMING' THEN NULL ELSE now() END,
                                      last_error = outcome.error
                                  FROM owner, outcome
                                  WHERE e.id = owner.id AND e.status = 'RUNNING'
                                  RETURNING e.status, e.last_error)
                        SELECT (SELECT count(*) FROM owner) AS owned, (SELECT count(*) FROM moved) AS changed,
                               (SELECT status FROM moved) AS status, (SELECT last_error FROM moved) AS error""".formatted(FINAL_STATUS);

    static String actor(String worker) {
        return "worker:" + worker;
    }

    private static List<Instant> instants(Array array) throws SQLException {
        List<Instant> list = new ArrayList<>();
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                list.add(o == null ? null : ((Timestamp) o).toInstant());
            }
        }
        return list;
    }
}
