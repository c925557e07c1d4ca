package dev.pledge.app.inventory;

import dev.pledge.app.insight.Json;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The commitments the accounts hold, from each source's current inventory generation, linked to the Pledge
 * purchase and item that bought one (by recorded commitment id or key).
 */
@RestController
@Tag(name = "Commitments", description = "What the accounts hold and when it expires")
@RequestMapping("/api/v1/commitments")
class CommitmentController {
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

    CommitmentController(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    @Operation(summary = "Commitments held, soonest expiry first (any role); filters: cloud, type, account, "
            + "expiringWithinDays, ours, active")
    Map<String, Object> list(@RequestParam(required = false) String cloud, @RequestParam(required = false) String type,
                             @RequestParam(required = false) String account,
                             @RequestParam(required = false) Integer expiringWithinDays,
                             @RequestParam(required = false) Boolean ours,
                             @RequestParam(required = false) Boolean active) {
        List<String> where = new ArrayList<>();
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (cloud != null) {
            where.add("cloud = :cloud");
            p.addValue("cloud", Cloud.fromSlug("cloud", cloud).slug());
        }
        if (type != null) {
            where.add("type = :type");
            p.addValue("type", CommitmentType.fromSlug("type", type).slug());
        }
        if (account != null) {
            try {
                p.addValue("account", UUID.fromString(account.trim()));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("account", "must be an account id (a UUID), was '" + account + "'");
            }
            where.add("account_id = :account");
        }
        if (expiringWithinDays != null) {
            if (expiringWithinDays < 0 || expiringWithinDays > 3650) {
                throw new ValidationException("expiringWithinDays", "must be 0-3650, was " + expiringWithinDays);
            }
            where.add("active AND end_at IS NOT NULL AND end_at <= now() + make_interval(days => :days)");
            p.addValue("days", expiringWithinDays);
        }
        if (ours != null) {
            where.add(ours ? "purchase IS NOT NULL" : "purchase IS NULL");
        }
        if (active != null) {
            where.add(active ? "active" : "NOT active");
        }
        String sql = "SELECT * FROM (" + CURRENT + ") x" + (where.isEmpty() ? "" : " WHERE "
                + String.join(" AND ", where)) + " ORDER BY end_at NULLS LAST, commitment_id";
        return Map.of("commitments", jdbc.query(sql, p, (rs, n) -> {
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
            m.put("start", rs.getTimestamp("start_at") == null ? null : rs.getTimestamp("start_at").toInstant());
            m.put("end", rs.getTimestamp("end_at") == null ? null : rs.getTimestamp("end_at").toInstant());
            m.put("state", rs.getString("state"));
            m.put("active", rs.getBoolean("active"));
            m.put("currency", rs.getString("currency"));
            m.put("upfront", rs.getBigDecimal("upfront"));
            m.put("recurringHourly", rs.getBigDecimal("recurring_hourly"));
            m.put("autoRenew", rs.getObject("auto_renew"));
            m.put("attributes", Json.read(rs.getString("attributes")));
            m.put("purchase", rs.getObject("purchase"));
            m.put("item", rs.getObject("item"));
            m.put("refreshedAt", rs.getTimestamp("refreshed_at") == null ? null
                    : rs.getTimestamp("refreshed_at").toInstant());
            m.put("stale", rs.getBoolean("stale"));
            m.put("staleReason", rs.getString("stale_reason"));
            return m;
        }));
    }

    @GetMapping("/summary")
    @Operation(summary = "Active commitments per cloud and type: count, units, monthly recurring and upfront spend "
            + "per currency, and how many expire within 30, 60 and 90 days (any role)")
    Map<String, Object> summary() {
        return Map.of("summary", jdbc.query("""
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
                }));
    }
}
