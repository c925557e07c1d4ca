package dev.pledge.app.recommendation;

import dev.pledge.app.insight.Json;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads of the current recommendation generations, with freshness and the recently-bought flag. */
@Repository
class RecommendationStore {
    /**
     * Current rows only (the source's current generation). {@code recently_bought}: an item of the same account,
     * type, region and offering was bought within the window (Cost Explorer reflects a purchase after 1-2 days).
     */
    private static final String SELECT = """
            SELECT r.*, a.external_id, s.refreshed_at, s.stale, s.stale_reason, p.execution_id AS proposed_as,
                   EXISTS (SELECT 1 FROM items i JOIN executions e ON e.id = i.execution_id
                           WHERE i.account_id = r.account_id AND i.type = r.type AND i.region = r.region
                             AND i.offering = r.offering AND i.status = 'BOUGHT'
                             AND coalesce(i.attempt_finished_at, e.finished_at) > now() - make_interval(days => :days))
                       AS recently_bought
            FROM recommendations r
            JOIN insight_sources s ON s.kind = 'recommendations' AND s.account_id = r.account_id AND s.type = r.type
                                   AND s.current_generation = r.generation_id
            JOIN accounts a ON a.id = r.account_id
            LEFT JOIN recommendation_proposals p ON p.recommendation_id = r.id
            """;
    private final NamedParameterJdbcTemplate jdbc;

    RecommendationStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Filter(String cloud, String type, UUID account, BigDecimal minMonthlySavings, BigDecimal maxBreakEven,
                  Boolean recentlyBought) {
    }

    List<RecommendationView> list(Filter f, int recentDays) {
        List<String> where = new ArrayList<>();
        MapSqlParameterSource p = new MapSqlParameterSource("days", recentDays);
        if (f.cloud() != null) {
            where.add("r.cloud = :cloud");
            p.addValue("cloud", f.cloud());
        }
        if (f.type() != null) {
            where.add("r.type = :type");
            p.addValue("type", f.type());
        }
        if (f.account() != null) {
            where.add("r.account_id = :account");
            p.addValue("account", f.account());
        }
        if (f.minMonthlySavings() != null) {
            where.add("r.monthly_savings >= :minSavings");
            p.addValue("minSavings", f.minMonthlySavings());
        }
        if (f.maxBreakEven() != null) {
            where.add("coalesce(r.break_even_months, 0) <= :maxBreakEven");
            p.addValue("maxBreakEven", f.maxBreakEven());
        }
        String sql = "SELECT * FROM (" + SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + ") x" + (f.recentlyBought() == null ? "" : " WHERE recently_bought = :recent")
                + " ORDER BY monthly_savings DESC, id";
        p.addValue("recent", f.recentlyBought());
        return jdbc.query(sql, p, ROW);
    }

    /** A recommendation of any generation (an old one says it was superseded). */
    Optional<RecommendationView> find(UUID id, int recentDays) {
        String sql = SELECT.replace("AND s.current_generation = r.generation_id", "") + " WHERE r.id = :id";
        return jdbc.query(sql, new MapSqlParameterSource("id", id).addValue("days", recentDays), ROW).stream()
                .findFirst();
    }

    boolean isCurrent(UUID id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM recommendations r JOIN insight_sources s ON s.kind = 'recommendations'
                    AND s.account_id = r.account_id AND s.type = r.type AND s.current_generation = r.generation_id
                    WHERE r.id = :id)""", new MapSqlParameterSource("id", id), Boolean.class));
    }

    private static final RowMapper<RecommendationView> ROW = (rs, n) -> {
        Map<String, Object> money = new LinkedHashMap<>();
        String currency = rs.getString("currency");
        return new RecommendationView(
                (UUID) rs.getObject("id"), rs.getLong("generation_id"), rs.getString("cloud"), rs.getString("type"),
                (UUID) rs.getObject("account_id"), rs.getString("external_id"), rs.getString("region"),
                rs.getString("offering"), rs.getInt("quantity"), rs.getBigDecimal("hourly_commitment"),
                rs.getString("term"), rs.getString("payment"), Json.read(rs.getString("attributes")), currency,
                rs.getBigDecimal("monthly_savings"), rs.getBigDecimal("upfront_cost"),
                rs.getBigDecimal("monthly_recurring_cost"), rs.getBigDecimal("break_even_months"),
                rs.getString("lookback"), rs.getString("cloud_recommendation_id"),
                rs.getTimestamp("generated_at") == null ? null : rs.getTimestamp("generated_at").toInstant(),
                rs.getTimestamp("refreshed_at") == null ? null : rs.getTimestamp("refreshed_at").toInstant(),
                rs.getBoolean("stale"), rs.getString("stale_reason"), rs.getBoolean("recently_bought"),
                (UUID) rs.getObject("proposed_as"), Json.read(rs.getString("details")));
    };
}
