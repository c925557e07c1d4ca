package dev.pledge.app.audit;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tamper evidence of the audit trail (V53): sealing links rows into a SHA-256 hash chain,
 * verifying re-computes it and names the first broken row, and the export writes rows with their
 * links as JSON lines for a SIEM (whose copy of the latest hash anchors the chain outside the database).
 */
@Component
public class AuditChain {
    static final int BATCH = 5_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public AuditChain(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Seals every committed row not sealed yet (in batches); returns how many. */
    public int sealAll() {
        int total = 0;
        int n;
        do {
            n = tx.execute(status -> jdbc.queryForObject("SELECT seal_audit_events(:batch)",
                    new MapSqlParameterSource("batch", BATCH), Integer.class));
            total += n;
        } while (n == BATCH);
        return total;
    }

    /** The result of a verification: how many links held, the head hash, and the first problem if any. */
    public record Verification(long links, String headHash, long unsealed, Long brokenSeq, Long brokenRow,
                               String problem) {
        public boolean intact() {
            return problem == null;
        }
    }

    /** Seals what is waiting, then re-computes the whole chain. */
    public Verification verify() {
        sealAll();
        return tx.execute(status -> {
            Optional<Map<String, Object>> broken = jdbc.queryForList("SELECT seq, event_id, problem FROM "
                    + "verify_audit_chain()", new MapSqlParameterSource()).stream().findFirst();
            Map<String, Object> head = jdbc.queryForMap("SELECT count(*) AS links, (SELECT hash FROM audit_chain "
                    + "ORDER BY seq DESC LIMIT 1) AS head, (SELECT count(*) FROM audit_events a WHERE NOT EXISTS "
                    + "(SELECT 1 FROM audit_chain c WHERE c.event_id = a.id)) AS unsealed FROM audit_chain",
                    new MapSqlParameterSource());
            return new Verification(((Number) head.get("links")).longValue(), (String) head.get("head"),
                    ((Number) head.get("unsealed")).longValue(),
                    broken.map(b -> (Number) b.get("seq")).map(Number::longValue).orElse(null),
                    broken.map(b -> (Number) b.get("event_id")).map(Number::longValue).orElse(null),
                    broken.map(b -> (String) b.get("problem")).orElse(null));
        });
    }

    /**
     * Writes sealed rows with id greater than {@code afterId} as JSON lines, oldest first: every column,
     * the link's sequence number and hash. Returns the number of lines.
     */
    public long export(long afterId, Writer out) {
        sealAll();
        long[] lines = {0};
        jdbc.query("""
                SELECT a.id, to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
                       a.actor, a.actor_owner, a.action, a.execution_id, a.item_position, a.from_status, a.to_status,
                       a.token_masked, a.detail, c.seq, c.hash
                FROM audit_chain c JOIN audit_events a ON a.id = c.event_id
                WHERE a.id > :after ORDER BY c.seq""", new MapSqlParameterSource("after", afterId), rs -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", rs.getLong("id"));
            line.put("at", rs.getString("at"));
            line.put("actor", rs.getString("actor"));
            line.put("owner", rs.getString("actor_owner"));
            line.put("action", rs.getString("action"));
            line.put("purchase", rs.getString("execution_id"));
            line.put("item", rs.getObject("item_position"));
            line.put("from", rs.getString("from_status"));
            line.put("to", rs.getString("to_status"));
            line.put("token", rs.getString("token_masked"));
            line.put("detail", rs.getString("detail"));
            line.put("seq", rs.getLong("seq"));
            line.put("hash", rs.getString("hash"));
            try {
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines[0]++;
        });
        return lines[0];
    }
}
