package dev.pledge.app.engine;

import dev.pledge.app.execution.ExecutionRows;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.ExecutorRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Follows purchases the cloud accepted but had not finished (items CONFIRMING) to a final state, on
 * one replica at a time: asks the executor ({@code confirm}) outside any transaction, then records the
 * answer in one statement per item, conditioned on the item still being CONFIRMING with the same
 * commitment. ACTIVE: the item is BOUGHT. FAILED: the item is FAILED with the cloud's words (nothing is
 * held). PENDING or a failed lookup: asked again in a later cycle. When the last confirming item of a
 * CONFIRMING execution is final, the same statement gives the execution its final status.
 */
class ConfirmationSweep {
    static final String NAME = "pledge-confirmation-sweep";
    static final String ACTOR = "system:confirmation-sweep";
    private static final Logger log = LoggerFactory.getLogger(ConfirmationSweep.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ExecutorRegistry executors;
    private final EngineMetrics metrics;
    private final SweepCycle cycle;
    private final EngineProperties properties;

    ConfirmationSweep(NamedParameterJdbcTemplate jdbc, ExecutorRegistry executors, EngineMetrics metrics,
                      SweepCycle cycle, EngineProperties properties) {
        this.jdbc = jdbc;
        this.executors = executors;
        this.metrics = metrics;
        this.cycle = cycle;
        this.properties = properties;
    }

    SweepCycle.Result cycle() {
        // each item is asked at most once per cycle: those checked since the cycle began wait for the next
        Instant started = jdbc.getJdbcTemplate().queryForObject("SELECT clock_timestamp()", Instant.class);
        SweepCycle.Result result = cycle.run(properties.confirmationSweepDeadline(), properties.sweepBatchSize(),
                n -> batch(n, started));
        if (result.moved() > 0 || result.cutOff()) {
            log.info("confirmation sweep: {} item(s) asked in {} batch(es){}", result.moved(), result.batches(),
                    result.cutOff() ? "; deadline reached, the rest waits for the next cycle" : "");
        }
        return result;
    }

    private record Confirming(UUID executionId, int position, CommitmentRequest request, String commitmentId,
                              String token) {
    }

    /** Asks about up to {@code batchSize} confirming items not asked since {@code cycleStart}; returns how many. */
    int batch(int batchSize, Instant cycleStart) {
        settleFinished(batchSize);
        List<Confirming> rows = jdbc.query("""
                        SELECT x.*, e.execution_token
                        FROM (SELECT execution_id, confirm_checked_at, %s FROM items
                              WHERE status = 'CONFIRMING'
                                AND (confirm_checked_at IS NULL OR confirm_checked_at < :cycleStart)
                              ORDER BY confirm_checked_at NULLS FIRST
                              LIMIT :batch) x
                        JOIN executions e ON e.id = x.execution_id
                        ORDER BY x.confirm_checked_at NULLS FIRST""".formatted(ExecutionRows.ITEM_COLUMNS),
                new MapSqlParameterSource().addValue("cycleStart", ExecutionRows.utc(cycleStart))
                        .addValue("batch", batchSize),
                (rs, n) -> new Confirming(rs.getObject("execution_id", UUID.class), rs.getInt("position"),
                        ExecutionRows.request(rs), rs.getString("commitment_id"), rs.getString("execution_token")));
        for (Confirming c : rows) {
            confirm(c);
        }
        return rows.size();
    }

    /**
     * Gives its final status to every CONFIRMING execution none of whose items is CONFIRMING any more. The
     * item statement below moves the execution only when it is CONFIRMING already; an item confirmed while
     * its worker was still writing the execution's final status (the worker's statement read the item as
     * CONFIRMING before the confirmation committed) would leave the execution CONFIRMING for ever. The soak
     * found it (seed 8: two executions stuck). Idempotent; one statement.
     */
    int settleFinished(int batchSize) {
        Integer settled = jdbc.queryForObject("""
                        WITH stale AS (SELECT e.id, e.execution_token FROM executions e
                                       WHERE e.status = 'CONFIRMING'
                                         AND NOT EXISTS (SELECT 1 FROM items i WHERE i.execution_id = e.id
                                                         AND i.status = 'CONFIRMING')
                                       LIMIT :batch
                                       FOR UPDATE SKIP LOCKED),
                        final AS (SELECT s.id, f.status, f.error
                                  FROM stale s, LATERAL (%s FROM items WHERE execution_id = s.id) f),
                        moved AS (UPDATE executions e
                                  SET status = final.status, finished_at = clock_timestamp(), last_error = final.error
                                  FROM final
                                  WHERE e.id = final.id AND e.status = 'CONFIRMING' AND final.status <> 'CONFIRMING'
                                  RETURNING e.id, e.status, e.last_error, e.execution_token),
                        audit AS (INSERT INTO audit_events (actor, action, execution_id, from_status, to_status,
                                                            token_masked, detail)
                                  SELECT :actor, 'FINISH', m.id, 'CONFIRMING', m.status, %s, m.last_error
                                  FROM moved m)
                        SELECT count(*) FROM moved""".formatted(WorkerStore.FINAL_STATUS,
                        WorkerStore.MASKED_TOKEN_SQL.formatted("m.execution_token")),
                new MapSqlParameterSource().addValue("batch", batchSize).addValue("actor", ACTOR), Integer.class);
        if (settled != null && settled > 0) {
            log.info("confirmation sweep: {} execution(s) whose items were all final given their final status", settled);
        }
        return settled == null ? 0 : settled;
    }

    private void confirm(Confirming c) {
        Confirmation answer;
        try {
            answer = executors.executor(c.request().type()).confirm(c.request(), c.commitmentId());
        } catch (RuntimeException e) {
            metrics.confirmation("error");
            log.warn("execution {} item {}: could not ask the cloud about commitment {} ({}); asked again later",
                    c.executionId(), c.position(), c.commitmentId(), e.getMessage());
            answer = null;
        }
        String state = answer == null ? "ERROR" : answer.state().name();
        if (answer != null) {
            metrics.confirmation(answer.state().name().toLowerCase());
        }
        String words = answer == null || answer.detail() == null ? "" : answer.detail();
        String note = switch (state) {
            case "ACTIVE" -> null;
            case "FAILED" -> "the cloud ended the order for commitment " + c.commitmentId() + " as failed after "
                    + "accepting it (" + words + "): nothing is held; re-drive to buy again";
            case "PENDING" -> "confirming: the cloud has not finished the order for commitment " + c.commitmentId()
                    + " yet (" + words + ")";
            default -> null;
        };
        String masked = new ExecutionToken(c.token()).masked();
        Integer moved = jdbc.queryForObject("""
                        WITH item AS (UPDATE items i
                                      SET status = CASE :state WHEN 'ACTIVE' THEN 'BOUGHT' WHEN 'FAILED' THEN 'FAILED'
                                                               ELSE 'CONFIRMING' END,
                                          outcome = CASE WHEN :state = 'FAILED' THEN NULL ELSE i.outcome END,
                                          commitment_id = CASE WHEN :state = 'FAILED' THEN NULL ELSE i.commitment_id END,
                                          failure_kind = CASE WHEN :state = 'FAILED' THEN 'REJECTED' ELSE i.failure_kind END,
                                          error = CASE WHEN :state = 'ERROR' THEN i.error ELSE CAST(:note AS text) END,
                                          confirm_checked_at = clock_timestamp()
                                      WHERE i.execution_id = :id AND i.position = :position
                                        AND i.status = 'CONFIRMING' AND i.commitment_id = :commitmentId
                                      RETURNING i.position, i.status, i.error),
                        final AS (%s
                                  FROM (SELECT position, status, error FROM items
                                        WHERE execution_id = :id AND position <> :position
                                        UNION ALL
                                        SELECT position, status, error FROM item) all_items),
                        moved AS (UPDATE executions e
                                  SET status = final.status, finished_at = clock_timestamp(), last_error = final.error
                                  FROM final
                                  WHERE e.id = :id AND e.status = 'CONFIRMING' AND final.status <> 'CONFIRMING'
                                    AND EXISTS (SELECT 1 FROM item)
                                  RETURNING e.status, e.last_error),
                        item_audit AS (INSERT INTO audit_events (actor, action, execution_id, item_position,
                                                                 from_status, to_status, token_masked, detail)
                                       SELECT :actor, CASE :state WHEN 'ACTIVE' THEN 'ITEM_CONFIRMED'
                                                                  ELSE 'ITEM_CONFIRMATION_FAILED' END,
                                              :id, :position, 'CONFIRMING', item.status, :tokenMasked,
                                              coalesce(CAST(:note AS text), :commitmentId || ' is active (' || :words || ')')
                                       FROM item WHERE :state IN ('ACTIVE', 'FAILED')
                                       RETURNING id),
                        finish_audit AS (INSERT INTO audit_events (actor, action, execution_id, from_status, to_status,
                                                                   token_masked, detail)
                                         SELECT :actor, 'FINISH', :id, 'CONFIRMING', moved.status, :tokenMasked,
                                                moved.last_error
                                         FROM moved, (SELECT max(id) FROM item_audit) ordered)
                        SELECT count(*) FROM moved""".formatted(WorkerStore.FINAL_STATUS),
                new MapSqlParameterSource().addValue("id", c.executionId()).addValue("position", c.position())
                        .addValue("commitmentId", c.commitmentId()).addValue("state", state).addValue("note", note)
                        .addValue("words", words).addValue("actor", ACTOR).addValue("tokenMasked", masked),
                Integer.class);
        if ("FAILED".equals(state)) {
            log.error("execution {} item {}: {}", c.executionId(), c.position(), note);
        } else if ("ACTIVE".equals(state)) {
            log.info("execution {} item {}: commitment {} is active{}", c.executionId(), c.position(),
                    c.commitmentId(), moved != null && moved > 0 ? "; the execution is final now" : "");
        }
    }
}
