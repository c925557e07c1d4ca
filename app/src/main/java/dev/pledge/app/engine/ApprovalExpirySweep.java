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

/** PENDING_APPROVAL older than {@code approval-ttl} (database time) -> EXPIRED, re-checked in the UPDATE. */
class ApprovalExpirySweep {
    static final String NAME = "pledge-approval-expiry-sweep";
    static final String ACTOR = "system:approval-expiry";
    private static final Logger log = LoggerFactory.getLogger(ApprovalExpirySweep.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditTrail audit;
    private final EngineMetrics metrics;
    private final SweepCycle cycle;
    private final EngineProperties properties;

    ApprovalExpirySweep(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit,
                        EngineMetrics metrics, SweepCycle cycle, EngineProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.metrics = metrics;
        this.cycle = cycle;
        this.properties = properties;
    }

    SweepCycle.Result cycle() {
        SweepCycle.Result result = cycle.run(properties.approvalSweepDeadline(), properties.sweepBatchSize(),
                this::batch);
        if (result.moved() > 0 || result.cutOff()) {
            log.info("approval expiry sweep: {} execution(s) expired in {} batch(es){}", result.moved(),
                    result.batches(), result.cutOff() ? "; deadline reached, the rest waits for the next cycle" : "");
        }
        return result;
    }

    private record Expired(UUID id, String token) {
    }

    int batch(int batchSize) {
        Integer moved = tx.execute(s -> {
            List<Expired> rows = jdbc.query("""
                            WITH stale AS (SELECT id FROM executions
                                           WHERE status = 'PENDING_APPROVAL'
                                             AND created_at < now() - :ttlMillis * interval '1 millisecond'
                                           ORDER BY created_at LIMIT :batch
                                           FOR UPDATE SKIP LOCKED)
                            UPDATE executions e SET status = 'EXPIRED', expired_at = now()
                            FROM stale
                            WHERE e.id = stale.id AND e.status = 'PENDING_APPROVAL'
                              AND e.created_at < now() - :ttlMillis * interval '1 millisecond'
                            RETURNING e.id, e.execution_token""",
                    new MapSqlParameterSource().addValue("batch", batchSize)
                            .addValue("ttlMillis", properties.approvalTtl().toMillis()),
                    (rs, n) -> new Expired(rs.getObject("id", UUID.class), rs.getString("execution_token")));
            for (Expired r : rows) {
                audit.append(AuditEntry.transition(ACTOR, "EXPIRE", r.id(), r.token(), ExecutionStatus.PENDING_APPROVAL,
                        ExecutionStatus.EXPIRED, "not approved within " + properties.approvalTtl()));
            }
            return rows.size();
        });
        metrics.swept("approval-expiry", moved);
        return moved;
    }
}
