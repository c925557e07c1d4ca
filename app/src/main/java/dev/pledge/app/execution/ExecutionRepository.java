package dev.pledge.app.execution;

import dev.pledge.app.database.TextMaps;
import dev.pledge.common.model.CommitmentRequest;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.pledge.app.execution.ExecutionRows.EXECUTION;
import static dev.pledge.app.execution.ExecutionRows.EXECUTION_COLUMNS;
import static dev.pledge.app.execution.ExecutionRows.ITEM;
import static dev.pledge.app.execution.ExecutionRows.ITEM_COLUMNS;
import static dev.pledge.app.execution.ExecutionRows.utc;

/** The SQL of the user-facing side of executions. Every status change is one compare-and-set statement. */
@Repository
class ExecutionRepository {
    private final NamedParameterJdbcTemplate jdbc;

    ExecutionRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the execution unless its idempotency key was used before; empty then. */
    Optional<UUID> insert(NewExecution e, String token) {
        return jdbc.queryForList("""
                        INSERT INTO executions (execution_token, status, description, not_before, created_by,
                                                idempotency_key, request_hash)
                        VALUES (:token, 'PENDING_APPROVAL', :description, :notBefore, :createdBy, :key, :hash)
                        ON CONFLICT (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                        RETURNING id""",
                new MapSqlParameterSource()
                        .addValue("token", token)
                        .addValue("description", e.description() == null ? "" : e.description())
                        .addValue("notBefore", utc(e.notBefore()))
                        .addValue("createdBy", e.createdBy())
                        .addValue("key", e.idempotencyKey())
                        .addValue("hash", e.requestHash()),
                UUID.class).stream().findFirst();
    }

    record IdempotentCreate(UUID id, String requestHash) {
    }

    Optional<IdempotentCreate> findByIdempotencyKey(String createdBy, String key) {
        return jdbc.query("SELECT id, request_hash FROM executions WHERE created_by = :createdBy AND idempotency_key = :key",
                new MapSqlParameterSource().addValue("createdBy", createdBy).addValue("key", key),
                (rs, n) -> new IdempotentCreate(rs.getObject("id", UUID.class), rs.getString("request_hash")))
                .stream().findFirst();
    }

    void insertItem(UUID executionId, int position, UUID accountId, CommitmentRequest r) {
        jdbc.update("INSERT INTO items (execution_id, position, account_id, type, cloud_account, region, offering, "
                        + "quantity, term, payment, attributes) VALUES (:executionId, :position, :accountId, :type, "
                        + ":cloudAccount, :region, :offering, :quantity, :term, :payment, "
                        + TextMaps.jsonbFrom("attributes") + ")",
                new MapSqlParameterSource()
                        .addValue("executionId", executionId)
                        .addValue("position", position)
                        .addValue("accountId", accountId)
                        .addValue("type", r.type().slug())
                        .addValue("cloudAccount", r.account())
                        .addValue("region", r.region())
                        .addValue("offering", r.offering())
                        .addValue("quantity", r.quantity())
                        .addValue("term", r.term().slug())
                        .addValue("payment", r.payment() == null ? null : r.payment().slug())
                        .addValue("attributesKeys", TextMaps.keys(r.attributes()))
                        .addValue("attributesValues", TextMaps.values(r.attributes())));
    }

    /** The status change, when the row was in one of {@code from}; the previous status is returned with it. */
    record Changed(ExecutionStatus from, Execution execution) {
    }

    /**
     * One compare-and-set statement: moves the execution to {@code to} if, at the moment of the
     * update, it is in one of {@code from}. {@code set} adds column assignments (named parameters
     * from {@code params}).
     */
    Optional<Changed> compareAndSet(UUID id, Collection<ExecutionStatus> from, ExecutionStatus to, String set,
                                    MapSqlParameterSource params) {
        params.addValue("id", id)
                .addValue("from", from.stream().map(Enum::name).toArray(String[]::new))
                .addValue("to", to.name());
        String columns = EXECUTION_COLUMNS.replaceAll("(\\w+)", "e.$1");
        return jdbc.query("WITH before AS (SELECT id, status FROM executions "
                        + "  WHERE id = :id AND status = ANY (CAST(:from AS text[])) FOR UPDATE) "
                        + "UPDATE executions e SET status = :to" + (set.isBlank() ? "" : ", " + set) + " "
                        + "FROM before WHERE e.id = before.id AND e.status = ANY (CAST(:from AS text[])) "
                        + "RETURNING before.status AS previous_status, " + columns,
                params,
                (rs, n) -> new Changed(ExecutionStatus.valueOf(rs.getString("previous_status")),
                        EXECUTION.mapRow(rs, n)))
                .stream().findFirst();
    }

    /**
     * The cancel's compare-and-set: like {@link #compareAndSet}, and only while no item has an attempt.
     * The items are read with a share lock after the execution's row lock, so an attempt committed while
     * this statement waited for the row is seen (a write-ahead record needs the execution RUNNING and
     * holds a share lock on its row while it writes).
     */
    Optional<Changed> cancelIfNotStarted(UUID id, Collection<ExecutionStatus> from, String actor) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("id", id).addValue("actor", actor)
                .addValue("from", from.stream().map(Enum::name).toArray(String[]::new));
        String columns = EXECUTION_COLUMNS.replaceAll("(\\w+)", "e.$1");
        return jdbc.query("WITH before AS (SELECT id, status FROM executions "
                        + "  WHERE id = :id AND status = ANY (CAST(:from AS text[])) FOR UPDATE), "
                        + "items_now AS (SELECT i.attempts FROM items i JOIN before ON i.execution_id = before.id "
                        + "  FOR SHARE OF i) "
                        + "UPDATE executions e SET status = 'CANCELED', canceled_by = :actor, canceled_at = now() "
                        + "FROM before WHERE e.id = before.id AND e.status = ANY (CAST(:from AS text[])) "
                        + "  AND NOT EXISTS (SELECT 1 FROM items_now WHERE attempts > 0) "
                        + "RETURNING before.status AS previous_status, " + columns,
                params,
                (rs, n) -> new Changed(ExecutionStatus.valueOf(rs.getString("previous_status")),
                        EXECUTION.mapRow(rs, n)))
                .stream().findFirst();
    }

    /** Why an execution cannot be canceled any more: its first item with an attempt, in words; empty if none. */
    Optional<String> firstAttempt(UUID id) {
        return jdbc.query("""
                        SELECT i.position, i.attempts, i.status,
                               (SELECT coalesce(a.result, 'no result recorded') FROM item_attempts a
                                WHERE a.execution_id = i.execution_id AND a.position = i.position
                                ORDER BY a.attempt DESC LIMIT 1) AS last_result
                        FROM items i WHERE i.execution_id = :id AND i.attempts > 0 ORDER BY i.position LIMIT 1""",
                new MapSqlParameterSource("id", id),
                (rs, n) -> "item " + rs.getInt("position") + " has an attempt (" + rs.getInt("attempts")
                        + " so far, the last: " + rs.getString("last_result") + ", item " + rs.getString("status")
                        + "): it may have been bought, so the purchase can no longer be canceled; "
                        + "let it finish, or re-drive it if it failed").stream().findFirst();
    }

    Optional<ExecutionStatus> status(UUID id) {
        return jdbc.queryForList("SELECT status FROM executions WHERE id = :id", new MapSqlParameterSource("id", id),
                String.class).stream().findFirst().map(ExecutionStatus::valueOf);
    }

    /**
     * Items that were not bought go back to PENDING for a re-drive; bought and confirming ones are not
     * touched. An item whose account is disabled is failed again instead, without a cloud call: "nothing
     * bought", unless an earlier attempt may have bought it (then undecided: verify first).
     */
    int resetUnboughtItems(UUID id) {
        return jdbc.update("""
                        UPDATE items i
                        SET status = CASE WHEN a.enabled THEN 'PENDING' ELSE 'FAILED' END,
                            failure_kind = CASE WHEN a.enabled THEN NULL
                                                WHEN EXISTS (SELECT 1 FROM item_attempts t WHERE t.execution_id = i.execution_id
                                                            AND t.position = i.position
                                                            AND (t.result IS NULL OR t.result = 'OUTCOME_UNKNOWN')) THEN 'GUARD_UNDECIDED' ELSE 'REJECTED' END,
                            error = CASE WHEN a.enabled THEN NULL
                                         WHEN EXISTS (SELECT 1 FROM item_attempts t WHERE t.execution_id = i.execution_id
                                                            AND t.position = i.position
                                                            AND (t.result IS NULL OR t.result = 'OUTCOME_UNKNOWN'))
                                         THEN 'account ' || i.cloud_account || ' is disabled, '
                                              || 'so no guard ran; an earlier attempt may have bought this item: verify '
                                              || 'in the cloud console, enable the account, then re-drive'
                                         ELSE 'account ' || i.cloud_account || ' is disabled; nothing bought: enable '
                                              || 'the account, then re-drive' END
                        FROM accounts a
                        WHERE i.execution_id = :id AND a.id = i.account_id AND i.status NOT IN ('BOUGHT', 'CONFIRMING')""",
                new MapSqlParameterSource("id", id));
    }

    /**
     * The person behind an actor, for four-eyes: the owner of the API key for {@code key:<id>}, else the
     * actor itself (tools, tests). Reads api_keys directly so this package needs no security types.
     */
    String ownerOf(String actor) {
        if (actor != null && actor.matches("key:[0-9a-fA-F-]{36}")) {
            return jdbc.queryForList("SELECT owner FROM api_keys WHERE id = CAST(:id AS uuid)",
                    new MapSqlParameterSource("id", actor.substring(4)), String.class).stream().findFirst().orElse(actor);
        }
        return actor;
    }

    /** Locks the execution row for this transaction; its status, or empty when there is none. */
    Optional<String> lockStatus(UUID id) {
        return jdbc.queryForList("SELECT status FROM executions WHERE id = :id FOR UPDATE",
                new MapSqlParameterSource("id", id), String.class).stream().findFirst();
    }

    /** The owners who approved the execution so far, in order. */
    public List<String> approvalOwners(UUID id) {
        return jdbc.queryForList("SELECT owner FROM execution_approvals WHERE execution_id = :id ORDER BY approved_at, owner",
                new MapSqlParameterSource("id", id), String.class);
    }

    void recordApproval(UUID id, String actor, String owner) {
        jdbc.update("INSERT INTO execution_approvals (execution_id, actor, owner) VALUES (:id, :actor, :owner)"
                + " ON CONFLICT DO NOTHING", new MapSqlParameterSource("id", id).addValue("actor", actor)
                .addValue("owner", owner));
    }

    Optional<Execution> find(UUID id) {
        return jdbc.query("SELECT " + EXECUTION_COLUMNS + " FROM executions WHERE id = :id",
                new MapSqlParameterSource("id", id), EXECUTION).stream().findFirst();
    }

    List<ExecutionItem> items(UUID id) {
        return jdbc.query("SELECT " + ITEM_COLUMNS + " FROM items WHERE execution_id = :id ORDER BY position",
                new MapSqlParameterSource("id", id), ITEM);
    }

    List<Execution> list(ExecutionQuery q, Instant afterCreatedAt, UUID afterId) {
        StringBuilder sql = new StringBuilder("SELECT " + EXECUTION_COLUMNS + " FROM executions e WHERE true");
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (!q.statuses().isEmpty()) {
            sql.append(" AND e.status = ANY (CAST(:statuses AS text[]))");
            p.addValue("statuses", q.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (q.cloud() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM items i JOIN accounts a ON a.id = i.account_id "
                    + "WHERE i.execution_id = e.id AND a.cloud = :cloud)");
            p.addValue("cloud", q.cloud().slug());
        }
        if (q.accountId() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM items i WHERE i.execution_id = e.id AND i.account_id = :accountId)");
            p.addValue("accountId", q.accountId());
        }
        if (q.createdFrom() != null) {
            sql.append(" AND e.created_at >= :createdFrom");
            p.addValue("createdFrom", utc(q.createdFrom()));
        }
        if (q.createdBefore() != null) {
            sql.append(" AND e.created_at < :createdBefore");
            p.addValue("createdBefore", utc(q.createdBefore()));
        }
        if (afterCreatedAt != null) {
            sql.append(" AND (e.created_at, e.id) < (:afterCreatedAt, :afterId)");
            p.addValue("afterCreatedAt", utc(afterCreatedAt)).addValue("afterId", afterId);
        }
        sql.append(" ORDER BY e.created_at DESC, e.id DESC LIMIT :limit");
        p.addValue("limit", q.limit() + 1);
        return jdbc.query(sql.toString(), p, EXECUTION);
    }

    Map<ExecutionStatus, Long> counts() {
        Map<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
        jdbc.query("SELECT status, executions FROM execution_status_counts", rs -> {
            counts.put(ExecutionStatus.valueOf(rs.getString("status")), rs.getLong("executions"));
        });
        return counts;
    }
}
