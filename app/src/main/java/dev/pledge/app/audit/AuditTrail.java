package dev.pledge.app.audit;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * Appends to and reads the audit trail. {@link #append} joins the caller's transaction, so an event
 * is written exactly when the change it describes commits. The table refuses UPDATE and DELETE.
 */
@Component
public class AuditTrail {
    private final NamedParameterJdbcTemplate jdbc;

    public AuditTrail(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void append(AuditEntry e) {
        jdbc.update("""
                INSERT INTO audit_events (actor, action, execution_id, item_position, from_status, to_status,
                                          token_masked, detail)
                VALUES (:actor, :action, :executionId, :item, :from, :to, :token, :detail)""",
                new MapSqlParameterSource()
                        .addValue("actor", e.actor())
                        .addValue("action", e.action())
                        .addValue("executionId", e.executionId())
                        .addValue("item", e.itemPosition())
                        .addValue("from", e.fromStatus())
                        .addValue("to", e.toStatus())
                        .addValue("token", e.tokenMasked())
                        .addValue("detail", e.detail()));
    }

    /** Every event of one execution, oldest first. */
    public List<AuditEvent> forExecution(UUID executionId) {
        return jdbc.query("""
                SELECT id, occurred_at, actor, actor_owner, action, execution_id, item_position, from_status, to_status,
                       token_masked, detail
                FROM audit_events WHERE execution_id = :id ORDER BY id""",
                new MapSqlParameterSource("id", executionId),
                (rs, n) -> new AuditEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("actor"), rs.getString("actor_owner"), rs.getString("action"), rs.getObject("execution_id", UUID.class),
                        (Integer) rs.getObject("item_position"), rs.getString("from_status"),
                        rs.getString("to_status"), rs.getString("token_masked"), rs.getString("detail")));
    }
}
