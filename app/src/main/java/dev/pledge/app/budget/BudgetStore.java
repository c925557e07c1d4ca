package dev.pledge.app.budget;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Budgets, their monthly counters and what items hold of them. Counters move only in the transaction of the
 * change that moves them: reservations here (approval, re-drive), spend and release in the database's
 * triggers on items and executions (V80). Keys are always locked in (scope, currency, month) order.
 */
@Repository
public class BudgetStore {
    static final String ORG = "org";
    private final NamedParameterJdbcTemplate jdbc;

    public BudgetStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The current month (UTC) as the database sees it: counters are per calendar month. */
    static final String MONTH = "(date_trunc('month', now() AT TIME ZONE 'UTC'))::date";

    /** Replaces the limits of a scope with {@code limits} (currency -> monthly limit). */
    void replace(String scope, Map<String, BigDecimal> limits, String actor) {
        jdbc.update("DELETE FROM budgets WHERE scope = :scope AND NOT (currency = ANY (:keep))",
                new MapSqlParameterSource("scope", scope).addValue("keep", limits.keySet().toArray(String[]::new)));
        limits.forEach((currency, limit) -> jdbc.update("""
                        INSERT INTO budgets (scope, currency, monthly_limit, updated_by) VALUES (:scope, :c, :l, :a)
                        ON CONFLICT (scope, currency) DO UPDATE SET monthly_limit = excluded.monthly_limit,
                            updated_by = excluded.updated_by, updated_at = now()""",
                new MapSqlParameterSource("scope", scope).addValue("c", currency).addValue("l", limit)
                        .addValue("a", actor)));
    }

    /** A budget's figures for the current month, per currency. */
    public record Usage(String currency, BigDecimal limit, BigDecimal spent, BigDecimal reserved, LocalDate month) {
        public BigDecimal remaining() {
            return limit.subtract(spent).subtract(reserved);
        }
    }

    List<Usage> usage(String scope) {
        return jdbc.query("""
                SELECT b.currency, b.monthly_limit, coalesce(u.spent, 0) AS spent, coalesce(u.reserved, 0) AS reserved,
                       $MONTH AS month
                FROM budgets b LEFT JOIN budget_usage u
                     ON u.scope = b.scope AND u.currency = b.currency AND u.month = $MONTH
                WHERE b.scope = :scope ORDER BY b.currency""".replace("$MONTH", MONTH), new MapSqlParameterSource("scope", scope),
                (rs, n) -> new Usage(rs.getString("currency"), rs.getBigDecimal("monthly_limit"),
                        rs.getBigDecimal("spent"), rs.getBigDecimal("reserved"), rs.getObject("month", LocalDate.class)));
    }

    /**
     * What the execution's PENDING items that hold nothing yet would reserve, per budget that applies to
     * them: the ceiling (approved quote plus tolerance) over the whole term. {@code amount} is null for an
     * item whose price is unknown, and {@code currency} then names the budget's.
     */
    record Need(int position, String scope, String currency, BigDecimal amount, BigDecimal limit) {
    }

    List<Need> needs(UUID execution) {
        return jdbc.query("""
                SELECT i.position, b.scope, b.currency, b.monthly_limit,
                       CASE WHEN q.currency IS NULL THEN NULL
                            ELSE coalesce(q.ceiling_upfront, q.upfront)
                                 + coalesce(q.ceiling_recurring, q.recurring)
                                   * CASE q.recurring_unit WHEN 'hour' THEN 730 ELSE 1 END * q.term_months
                       END AS amount
                FROM items i
                LEFT JOIN item_quotes q ON q.execution_id = i.execution_id AND q.position = i.position
                JOIN budgets b ON (b.scope = i.account_id::text OR b.scope = 'org')
                              AND (q.currency IS NULL OR b.currency = q.currency)
                WHERE i.execution_id = :e AND i.status = 'PENDING'
                  AND NOT EXISTS (SELECT 1 FROM budget_reservations r
                                  WHERE r.execution_id = i.execution_id AND r.position = i.position
                                    AND r.scope = b.scope AND r.state IN ('RESERVED', 'SPENT'))
                ORDER BY b.scope, b.currency, i.position""", new MapSqlParameterSource("e", execution),
                (rs, n) -> new Need(rs.getInt("position"), rs.getString("scope"), rs.getString("currency"),
                        rs.getBigDecimal("amount"), rs.getBigDecimal("monthly_limit")));
    }

    /**
     * Adds {@code amount} to the key's reserved counter if spent + reserved + amount stays within
     * {@code limit}, in one statement (the row lock makes check and change one step). Empty when it would
     * not fit: the current figures.
     */
    Optional<Usage> reserve(String scope, String currency, BigDecimal amount, BigDecimal limit) {
        MapSqlParameterSource p = new MapSqlParameterSource("scope", scope).addValue("c", currency)
                .addValue("amount", amount).addValue("limit", limit);
        jdbc.update("INSERT INTO budget_usage (scope, currency, month) VALUES (:scope, :c, " + MONTH + ")"
                + " ON CONFLICT DO NOTHING", p);
        int moved = jdbc.update("""
                UPDATE budget_usage SET reserved = reserved + :amount
                WHERE scope = :scope AND currency = :c AND month = $MONTH
                  AND spent + reserved + :amount <= :limit""".replace("$MONTH", MONTH), p);
        if (moved == 1) {
            return Optional.empty();
        }
        return Optional.of(jdbc.queryForObject("SELECT spent, reserved, month FROM budget_usage WHERE scope = :scope"
                        + " AND currency = :c AND month = " + MONTH, p,
                (rs, n) -> new Usage(currency, limit, rs.getBigDecimal("spent"), rs.getBigDecimal("reserved"),
                        rs.getObject("month", LocalDate.class))));
    }

    /**
     * Items of the execution, just set back to PENDING by a re-drive, whose earlier attempt may have bought
     * (an unanswered or unfinished attempt): the re-drive is how Pledge finds out, so a budget never blocks it.
     */
    List<Integer> unsettled(UUID execution) {
        return jdbc.queryForList("""
                SELECT i.position FROM items i
                WHERE i.execution_id = :e AND i.status = 'PENDING'
                  AND EXISTS (SELECT 1 FROM item_attempts a WHERE a.execution_id = i.execution_id
                              AND a.position = i.position AND (a.result IS NULL OR a.result = 'OUTCOME_UNKNOWN'))
                ORDER BY i.position""", new MapSqlParameterSource("e", execution), Integer.class);
    }

    /**
     * Holds back, FAILED with nothing bought, the PENDING items of the execution that need budget room they do
     * not hold (the rest keep going). Returns their positions.
     */
    List<Integer> holdBack(UUID execution, List<Integer> positions, String why) {
        if (positions.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList("""
                UPDATE items SET status = 'FAILED', failure_kind = 'REJECTED', error = :why
                WHERE execution_id = :e AND status = 'PENDING' AND position = ANY (:p::integer[])
                RETURNING position""", new MapSqlParameterSource("e", execution).addValue("why", why)
                .addValue("p", positions.toArray(Integer[]::new)), Integer.class);
    }

    void recordReservation(UUID execution, int position, String scope, String currency, BigDecimal amount) {
        jdbc.update("""
                INSERT INTO budget_reservations (execution_id, position, scope, currency, month, amount, state)
                VALUES (:e, :p, :scope, :c, $MONTH, :amount, 'RESERVED')
                ON CONFLICT (execution_id, position, scope) DO UPDATE
                    SET currency = excluded.currency, month = excluded.month, amount = excluded.amount,
                        state = 'RESERVED', changed_at = now()
                    WHERE budget_reservations.state = 'RELEASED'""".replace("$MONTH", MONTH),
                new MapSqlParameterSource("e", execution).addValue("p", position).addValue("scope", scope)
                        .addValue("c", currency).addValue("amount", amount));
    }

    /** Spent plus reserved per budget key this month, for checks and the soak. */
    public Map<String, BigDecimal[]> overruns() {
        Map<String, BigDecimal[]> out = new LinkedHashMap<>();
        jdbc.query("""
                SELECT b.scope, b.currency, b.monthly_limit, u.spent + u.reserved AS used
                FROM budgets b JOIN budget_usage u ON u.scope = b.scope AND u.currency = b.currency
                WHERE u.spent + u.reserved > b.monthly_limit ORDER BY 1, 2""", rs -> {
            out.put(rs.getString("scope") + "/" + rs.getString("currency"),
                    new BigDecimal[]{rs.getBigDecimal("monthly_limit"), rs.getBigDecimal("used")});
        });
        return out;
    }
}
