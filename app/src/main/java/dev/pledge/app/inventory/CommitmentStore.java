package dev.pledge.app.inventory;

import dev.pledge.app.insight.Json;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of the commitments held: each source's current inventory generation only (a failed refresh leaves the
 * previous one current, so a reader never sees half a generation), linked to the item that bought a commitment.
 */
@Repository
class CommitmentStore {
    /** The link is by recorded commitment id or by Pledge's key (a commitment the cloud names after the key). */
    private static final String CURRENT = """
            SELECT h.*, a.external_id, s.refreshed_at, s.stale, s.stale_reason,
                   (SELECT i.execution_id FROM items i WHERE i.account_id = h.account_id AND i.type = h.type
                       AND (i.commitment_id = h.commitment_id
                            OR (h.commitment_key IS NOT NULL AND i.commitment_key = h.commitment_key))
                       LIMIT 1) AS purchase,
                   (SELECT i.position FROM items i WHERE i.account_id = h.account_id AND i.type = h.type
                       AND (i.commitment_id = h.commitment_id
                            OR (h.commitment_key IS NOT NULL AND i.commitment_key = h.commitment_key))
                       LIMIT 1) AS item
            FROM held_commitments h
            JOIN insight_sources s ON s.kind = 'inventory' AND s.account_id = h.account_id AND s.type = h.type
                                   AND s.current_generation = h.generation_id
            JOIN accounts a ON a.id = h.account_id
            """;
    private final NamedParameterJdbcTemplate jdbc;

    CommitmentStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Filters of {@link #list}; a null field does not filter. Values are validated by the caller. */
    record Filter(String cloud, String type, UUID account, Integer expiringWithinDays, Boolean ours, Boolean active) {
    }

    /** Held commitments, soonest expiry first. */
    List<Map<String, Object>> list(Filter f) {
        List<String> where = new ArrayList<>();
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (f.cloud() != null) {
            where.add("cloud = :cloud");
            p.addValue("cloud", f.cloud());
        }
        if (f.type() != null) {
            where.add("type = :type");
            p.addValue("type", f.type());
        }
        if (f.account() != null) {
            where.add("account_id = :account");
            p.addValue("account", f.account());
        }
        if (f.expiringWithinDays() != null) {
            where.add("active AND end_at IS NOT NULL AND end_at <= now() + make_interval(days => :days)");
            p.addValue("days", f.expiringWithinDays());
        }
        if (f.ours() != null) {
            where.add(f.ours() ? "purchase IS NOT NULL" : "purchase IS NULL");
        }
        if (f.active() != null) {
            where.add(f.active() ? "active" : "NOT active");
        }
        String sql = "SELECT * FROM (" + CURRENT + ") x" + (where.isEmpty() ? "" : " WHERE "
                + String.join(" AND ", where)) + " ORDER BY end_at NULLS LAST, commitment_id";
        return jdbc.query(sql, p, (rs, n) -> row(rs));
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cloud", rs.getString("cloud"));
        m.put("type", rs.getString("type"));
        m.put("account", rs.getObject("account_id"));
        m.put("accountExternalId", rs.getString("external_id"));
        m.put("region", rs.getString("region"));
        m.put("commitmentId", rs.getString("commitment_id"));
        m.put("key", rs.getString("commitment_key"));
        m.put("offering", rs.getString("offering"));
        m.put("offeringId", rs.getString("offering_id"));
        m.put("quantity", rs.getInt("quantity"));
        m.put("hourlyCommitment", rs.getBigDecimal("hourly_commitment"));
        m.put("term", rs.getString("term"));
        m.put("payment", rs.getString("payment"));
        m.put("start", instant(rs.getTimestamp("start_at")));
        m.put("end", instant(rs.getTimestamp("end_at")));
        m.put("state", rs.getString("state"));
        m.put("active", rs.getBoolean("active"));
        m.put("currency", rs.getString("currency"));
        m.put("upfront", rs.getBigDecimal("upfront"));
        m.put("recurringHourly", rs.getBigDecimal("recurring_hourly"));
        m.put("autoRenew", rs.getObject("auto_renew"));
        m.put("attributes", Json.read(rs.getString("attributes")));
        m.put("purchase", rs.getObject("purchase"));
        m.put("item", rs.getObject("item"));
        m.put("refreshedAt", instant(rs.getTimestamp("refreshed_at")));
        m.put("stale", rs.getBoolean("stale"));
        m.put("staleReason", rs.getString("stale_reason"));
        return m;
    }

    /** Active commitments per cloud, type and currency, with what expires within 30, 60 and 90 days. */
    List<Map<String, Object>> summary() {
        return jdbc.query("""
                SELECT cloud, type, coalesce(currency, 'USD') AS currency, count(*) AS commitments,
                       sum(quantity) AS units, sum(coalesce(hourly_commitment, 0)) AS hourly_commitment,
                       sum(coalesce(recurring_hourly, 0) * 730) AS monthly_recurring, sum(coalesce(upfront, 0)) AS upfront,
                       count(*) FILTER (WHERE end_at <= now() + interval '30 days') AS expiring_30,
                       count(*) FILTER (WHERE end_at <= now() + interval '60 days') AS expiring_60,
                       count(*) FILTER (WHERE end_at <= now() + interval '90 days') AS expiring_90
                FROM (""" + CURRENT + """
                ) x WHERE active GROUP BY cloud, type, coalesce(currency, 'USD') ORDER BY cloud, type""",
                new MapSqlParameterSource(), (rs, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("cloud", rs.getString("cloud"));
                    m.put("type", rs.getString("type"));
                    m.put("currency", rs.getString("currency"));
                    m.put("commitments", rs.getLong("commitments"));
                    m.put("units", rs.getLong("units"));
                    m.put("hourlyCommitment", rs.getBigDecimal("hourly_commitment"));
                    m.put("monthlyRecurring", rs.getBigDecimal("monthly_recurring"));
                    m.put("upfront", rs.getBigDecimal("upfront"));
                    m.put("expiringWithin30Days", rs.getLong("expiring_30"));
                    m.put("expiringWithin60Days", rs.getLong("expiring_60"));
                    m.put("expiringWithin90Days", rs.getLong("expiring_90"));
                    return m;
                });
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
