package dev.pledge.app.price;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The quotes of items (item_quotes) and the ceilings written at approval. */
@Repository
public class PriceStore {
    private final NamedParameterJdbcTemplate jdbc;

    public PriceStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID execution, int position, ItemQuote q) {
        jdbc.update("""
                INSERT INTO item_quotes (execution_id, position, source, currency, upfront, recurring, recurring_unit,
                                         hourly, monthly, term_months, total, offering_id)
                VALUES (:e, :p, :source, :currency, :upfront, :recurring, :unit, :hourly, :monthly, :months, :total,
                        :offering)""",
                new MapSqlParameterSource("e", execution).addValue("p", position).addValue("source", q.source())
                        .addValue("currency", q.currency()).addValue("upfront", q.upfront())
                        .addValue("recurring", q.recurring()).addValue("unit", q.recurringUnit())
                        .addValue("hourly", q.hourly()).addValue("monthly", q.monthly())
                        .addValue("months", q.termMonths()).addValue("total", q.total())
                        .addValue("offering", q.offeringId()));
    }

    /**
     * The approved ceiling of every priced item of the execution: its quote plus the tolerance in percent.
     * Written once, by the approval (a re-drive keeps the ceilings the approver approved).
     */
    void writeCeilings(UUID execution, BigDecimal tolerancePercent) {
        jdbc.update("""
                UPDATE item_quotes SET ceiling_upfront = upfront * (1 + :tol / 100.0),
                                       ceiling_recurring = recurring * (1 + :tol / 100.0)
                WHERE execution_id = :e AND currency IS NOT NULL AND ceiling_upfront IS NULL""",
                new MapSqlParameterSource("e", execution).addValue("tol", tolerancePercent));
    }

    /** The quotes of an execution's items by position; items created before quotes existed are absent. */
    public Map<Integer, ItemQuote> quotes(UUID execution) {
        Map<Integer, ItemQuote> out = new LinkedHashMap<>();
        jdbc.query("SELECT * FROM item_quotes WHERE execution_id = :e ORDER BY position",
                new MapSqlParameterSource("e", execution), rs -> {
                    out.put(rs.getInt("position"), new ItemQuote(rs.getString("source"), rs.getString("currency"),
                            rs.getBigDecimal("upfront"), rs.getBigDecimal("recurring"), rs.getString("recurring_unit"),
                            rs.getBigDecimal("hourly"), rs.getBigDecimal("monthly"), rs.getInt("term_months"),
                            rs.getBigDecimal("total"), rs.getString("offering_id")));
                });
        return out;
    }

    /** Sums per currency of a set of quotes: upfront, monthly and total; unknown prices are counted apart. */
    public static Map<String, Map<String, BigDecimal>> totals(Iterable<ItemQuote> quotes) {
        Map<String, Map<String, BigDecimal>> sums = new TreeMap<>();
        for (ItemQuote q : quotes) {
            if (!q.known()) {
                continue;
            }
            Map<String, BigDecimal> s = sums.computeIfAbsent(q.currency(), c -> new LinkedHashMap<>(Map.of()));
            s.merge("upfront", q.upfront(), BigDecimal::add);
            s.merge("monthly", q.monthly(), BigDecimal::add);
            s.merge("total", q.total(), BigDecimal::add);
        }
        return sums;
    }
}
