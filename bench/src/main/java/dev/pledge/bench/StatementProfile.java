package dev.pledge.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the application ran on one database, per unit of work, from pg_stat_statements. */
final class StatementProfile {

    private StatementProfile() {
    }

    /** The 20 most frequent statements, as calls per unit and mean milliseconds, with the query's start. */
    static List<Map<String, Object>> perExecution(BenchDatabase db, String database, int units) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = db.connect(database);
             PreparedStatement s = c.prepareStatement("""
                     SELECT calls, mean_exec_time, regexp_replace(query, '\\s+', ' ', 'g'), (shared_blks_hit + shared_blks_read)::float8 / greatest(calls, 1),
                            mean_plan_time, plans::float8 / greatest(calls, 1)
                     FROM pg_stat_statements
                     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                       AND query NOT LIKE '%pg_stat_statements%'
                     ORDER BY calls DESC LIMIT 20""");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("per_execution", JsonLine.round((double) rs.getLong(1) / units, 3));
                m.put("mean_ms", JsonLine.round(rs.getDouble(2), 3));
                m.put("buffers_per_call", JsonLine.round(rs.getDouble(4), 1));
                // zero unless the server tracks planning (--pg pg_stat_statements.track_planning=on)
                m.put("mean_plan_ms", JsonLine.round(rs.getDouble(5), 3));
                m.put("plans_per_call", JsonLine.round(rs.getDouble(6), 3));
                String q = rs.getString(3);
                m.put("query", q.length() > 140 ? q.substring(0, 140) + "..." : q);
                out.add(m);
            }
        }
        return out;
    }
}
