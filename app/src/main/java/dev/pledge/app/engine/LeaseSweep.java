package dev.pledge.app.engine;

import dev.pledge.app.audit.AuditEntry;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.app.execution.ExecutionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;

/**
 * Returns RUNNING executions whose lease expired (the worker died or hung) to APPROVED, with the same
 * token, so another worker continues; after {@code max-claims} claims in one attempt the execution
 * FAILS instead, saying what to verify. Status and lease are re-checked in the UPDATE itself.
 */
class LeaseSweep {
    static final String NAME = "pledge-lease-sweep";
    static final String ACTOR = "system:lease-sweep";
    private static final Logger log = LoggerFactory.getLogger(LeaseSweep.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditTrail audit;
    private final EngineMetrics metrics;
    private final SweepCycle cycle;
    private final EngineProperties properties;

    LeaseSweep(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit, EngineMetrics metrics,
               SweepCycle cycle, EngineProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.metrics = metrics;
        this.cycle = cycle;
        this.properties = properties;
    }

    SweepCycle.Result cycle() {
        SweepCycle.Result result = cycle.run(properties.leaseSweepDeadline(), properties.sweepBatchSize(), this::batch);
        if (result.moved() > 0 || result.cutOff()) {
            log.info("lease sweep: {} execution(s) returned or failed in {} batch(es){}", result.moved(),
                    result.batches(), result.cutOff() ? "; deadline reached, the rest waits for the next cycle" : "");
        }
        return result;
    }

    private record Expired(UUID id, String token, ExecutionStatus status, String lostWorker, int claims) {
    }

    /** One statement (plus its audit events and item updates) in one transaction. */
    int batch(int batchSize) {
        Integer moved = tx.execute(s -> {
            List<Expired> rows = jdbc.query("""
                            WITH expired AS (SELECT id, claimed_by FROM executions
                                             WHERE status = 'RUNNING' AND lease_until < now()
                                             ORDER BY lease_until LIMIT :batch
                                             FOR UPDATE SKIP LOCKED)
                            UPDATE executions e
                            SET status = CASE WHEN e.claims >= :maxClaims THEN 'FAILED' ELSE 'APPROVED' END,
                                claimed_by = NULL, lease_until = NULL,
                                finished_at = CASE WHEN e.claims >= :maxClaims THEN now() ELSE e.finished_at END,
                                last_error = CASE WHEN e.claims >= :maxClaims
                                    THEN 'the lease expired ' || e.claims || ' time(s) in attempt ' || e.attempt
                                         || ' (last worker ' || expired.claimed_by || '): an item that was being bought '
                                         || 'may have been bought; verify in the cloud console, then re-drive '
                                         || '(a re-drive goes through each item''s guard)'
                                    ELSE e.last_error END
                            FROM expired
                            WHERE e.id = expired.id AND e.status = 'RUNNING' AND e.lease_until < now()
                            RETURNING e.id, e.execution_token, e.status, expired.claimed_by, e.claims""",
                    new MapSqlParameterSource().addValue("batch", batchSize)
                            .addValue("maxClaims", properties.maxClaims()),
                    (rs, n) -> new Expired(rs.getObject("id", UUID.class), rs.getString("execution_token"),
                            ExecutionStatus.valueOf(rs.getString("status")), rs.getString("claimed_by"),
                            rs.getInt("claims")));
            List<UUID> failed = rows.stream().filter(r -> r.status() == ExecutionStatus.FAILED).map(Expired::id).toList();
            if (!failed.isEmpty()) {
                jdbc.update("""
                                UPDATE items SET status = 'FAILED', failure_kind = 'OUTCOME_UNKNOWN',
                                    error = 'the worker was lost during this purchase: it may have been bought; '
                                            || 'verify in the cloud console, then re-drive'
                                WHERE execution_id = ANY (CAST(:ids AS uuid[])) AND status = 'PURCHASING'""",
                        new MapSqlParameterSource("ids", failed.toArray(UUID[]::new)));
            }
            for (Expired r : rows) {
                audit.append(AuditEntry.transition(ACTOR, "LEASE_EXPIRED", r.id(), r.token(), ExecutionStatus.RUNNING,
                        r.status(), "worker " + r.lostWorker() + " stopped renewing its lease (claim " + r.claims()
                                + " of at most " + properties.maxClaims() + ")"));
                log.warn("execution {}: lease of worker {} expired; now {}", r.id(), r.lostWorker(), r.status());
            }
            return rows.size();
        });
        metrics.swept("lease", moved);
        return moved;
    }
}
