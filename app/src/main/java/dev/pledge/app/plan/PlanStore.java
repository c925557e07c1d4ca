package dev.pledge.app.plan;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Plans, their cycles and proposals; every status change is one compare-and-set statement. */
@Repository
class PlanStore {
    private final NamedParameterJdbcTemplate jdbc;

    PlanStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    UUID insert(NewPlan p, String actor) {
        return jdbc.queryForObject("""
                INSERT INTO plans (name, accounts, types, regions, cadence, ladder_percent, ladder_max_items,
                                   min_savings_percent, max_break_even_months, renew_within_days, mode, review_hours,
                                   status, created_by)
                VALUES (:name, :accounts, :types, :regions, :cadence, :lp, :lmax, :minSav, :maxBe, :renew, :mode,
                        :review, 'PENDING_APPROVAL', :actor)
                RETURNING id""", new MapSqlParameterSource("name", p.name())
                        .addValue("accounts", p.accounts().toArray(UUID[]::new))
                        .addValue("types", p.types().toArray(String[]::new))
                        .addValue("regions", p.regions().toArray(String[]::new)).addValue("cadence", p.cadence())
                        .addValue("lp", p.ladderPercent()).addValue("lmax", p.ladderMaxItems())
                        .addValue("minSav", p.minSavingsPercent()).addValue("maxBe", p.maxBreakEvenMonths())
                        .addValue("renew", p.renewWithinDays()).addValue("mode", p.mode())
                        .addValue("review", p.reviewHours()).addValue("actor", actor), UUID.class);
    }

    /** The person behind an actor: the owner of an API key ({@code key:<id>}), else the actor itself. */
    String ownerOf(String actor) {
        if (actor != null && actor.matches("key:[0-9a-fA-F-]{36}")) {
            return jdbc.queryForList("SELECT owner FROM api_keys WHERE id = CAST(:id AS uuid)",
                    new MapSqlParameterSource("id", actor.substring(4)), String.class).stream().findFirst().orElse(actor);
        }
        return actor;
    }

    Optional<Plan> find(UUID id) {
        return jdbc.query("SELECT * FROM plans WHERE id = :id", new MapSqlParameterSource("id", id), ROW).stream()
                .findFirst();
    }

    List<Plan> list() {
        return jdbc.query("SELECT * FROM plans ORDER BY created_at DESC, id", ROW);
    }

    /** Moves the plan from one of {@code from} to {@code to}; {@code set} adds assignments. */
    Optional<Plan> move(UUID id, List<String> from, String to, String set, MapSqlParameterSource params) {
        return jdbc.query("UPDATE plans SET status = :to" + (set == null ? "" : ", " + set)
                        + " WHERE id = :id AND status = ANY (:from) RETURNING *",
                params.addValue("id", id).addValue("to", to).addValue("from", from.toArray(String[]::new)), ROW)
                .stream().findFirst();
    }

    void setNextRun(UUID id, Instant next) {
        jdbc.update("UPDATE plans SET next_run_at = :next WHERE id = :id",
                new MapSqlParameterSource("id", id).addValue("next", ts(next)));
    }

    /** Active plans due to run, locked so one replica runs each (others skip them). */
    List<Plan> dueForUpdate() {
        return jdbc.query("""
                SELECT * FROM plans WHERE status = 'ACTIVE' AND next_run_at <= now()
                ORDER BY next_run_at FOR UPDATE SKIP LOCKED""", ROW);
    }

    /** Serialises the cycles of one plan (run-now and the schedule) within the caller's transaction. */
    void lockPlan(UUID id) {
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended(:id, 16))",
                new MapSqlParameterSource("id", "plan:" + id), Object.class);
    }

    /** A recommendation in the plan's scope, with what the ladder and filters need; or a commitment to renew ({@code renews}). */
    record Candidate(UUID id, UUID account, String type, String region, String offering, int quantity,
                     BigDecimal hourlyCommitment, String term, String payment, Map<String, String> attributes,
                     BigDecimal monthlySavings, BigDecimal upfrontCost, BigDecimal monthlyRecurringCost,
                     BigDecimal breakEvenMonths, String renews) {
    }

    List<Candidate> recommendations(Plan plan) {
        return jdbc.query("""
                SELECT r.* FROM recommendations r
                JOIN insight_sources s ON s.kind = 'recommendations' AND s.account_id = r.account_id AND s.type = r.type
                                       AND s.current_generation = r.generation_id
                JOIN accounts a ON a.id = r.account_id AND a.enabled
                WHERE (cardinality(:accounts::uuid[]) = 0 OR r.account_id = ANY (:accounts::uuid[]))
                  AND (cardinality(:types::text[]) = 0 OR r.type = ANY (:types::text[]))
                  AND (cardinality(:regions::text[]) = 0 OR r.region = ANY (:regions::text[]))
                ORDER BY r.monthly_savings DESC, r.id""",
                new MapSqlParameterSource("accounts", plan.accounts().toArray(UUID[]::new))
                        .addValue("types", plan.types().toArray(String[]::new))
                        .addValue("regions", plan.regions().toArray(String[]::new)),
                (rs, n) -> new Candidate((UUID) rs.getObject("id"), (UUID) rs.getObject("account_id"),
                        rs.getString("type"), rs.getString("region"), rs.getString("offering"), rs.getInt("quantity"),
                        rs.getBigDecimal("hourly_commitment"), rs.getString("term"), rs.getString("payment"),
                        dev.pledge.app.insight.Json.read(rs.getString("attributes")), rs.getBigDecimal("monthly_savings"),
                        rs.getBigDecimal("upfront_cost"), rs.getBigDecimal("monthly_recurring_cost"),
                        rs.getBigDecimal("break_even_months"), null));
    }

    /**
     * Held commitments in the plan's scope (current inventory) that end before {@code until} and do not
     * renew themselves, not yet renewed by this plan: a renewal proposes the same commitment again.
     */
    List<Candidate> renewals(Plan plan, Instant until) {
        return jdbc.query("""
                SELECT h.* FROM held_commitments h
                JOIN insight_sources s ON s.kind = 'inventory' AND s.account_id = h.account_id AND s.type = h.type
                                       AND s.current_generation = h.generation_id
                JOIN accounts a ON a.id = h.account_id AND a.enabled
                WHERE h.active AND h.auto_renew IS NOT TRUE AND h.term IS NOT NULL
                  AND h.end_at > now() AND h.end_at <= :until
                  AND (cardinality(:accounts::uuid[]) = 0 OR h.account_id = ANY (:accounts::uuid[]))
                  AND (cardinality(:types::text[]) = 0 OR h.type = ANY (:types::text[]))
                  AND (cardinality(:regions::text[]) = 0 OR h.region = ANY (:regions::text[]))
                  AND NOT EXISTS (SELECT 1 FROM plan_renewals r WHERE r.plan_id = :plan
                                  AND r.commitment_id = h.commitment_id)
                ORDER BY h.end_at, h.commitment_id""",
                new MapSqlParameterSource("accounts", plan.accounts().toArray(UUID[]::new))
                        .addValue("types", plan.types().toArray(String[]::new))
                        .addValue("regions", plan.regions().toArray(String[]::new))
                        .addValue("until", ts(until)).addValue("plan", plan.id()),
                (rs, n) -> new Candidate(null, (UUID) rs.getObject("account_id"), rs.getString("type"),
                        rs.getString("region"), rs.getString("offering"), rs.getInt("quantity"),
                        rs.getBigDecimal("hourly_commitment"), rs.getString("term"), rs.getString("payment"),
                        dev.pledge.app.insight.Json.read(rs.getString("attributes")), null, null, null, null,
                        rs.getString("commitment_id")));
    }

    void recordRenewal(UUID plan, String commitment, Instant cycle, UUID execution) {
        jdbc.update("""
                INSERT INTO plan_renewals (plan_id, commitment_id, cycle, execution_id)
                VALUES (:plan, :c, :cycle, :e) ON CONFLICT DO NOTHING""",
                new MapSqlParameterSource("plan", plan).addValue("c", commitment).addValue("cycle", ts(cycle))
                        .addValue("e", execution));
    }

    /** Records a run of a cycle; a re-run counts up and keeps the first run's purchase. */
    void recordCycle(UUID plan, Instant cycle, String trigger, UUID execution, int items, String detail) {
        jdbc.update("""
                INSERT INTO plan_cycles (plan_id, cycle, trigger, execution_id, items, detail)
                VALUES (:plan, :cycle, :trigger, :execution, :items, :detail)
                ON CONFLICT (plan_id, cycle) DO UPDATE SET runs = plan_cycles.runs + 1, ran_at = now(),
                    execution_id = coalesce(plan_cycles.execution_id, excluded.execution_id)""",
                new MapSqlParameterSource("plan", plan).addValue("cycle", ts(cycle)).addValue("trigger", trigger)
                        .addValue("execution", execution).addValue("items", items).addValue("detail", detail));
    }

    void recordProposal(UUID execution, UUID plan, Instant cycle, Instant autoApproveAt) {
        jdbc.update("""
                INSERT INTO plan_proposals (execution_id, plan_id, cycle, auto_approve_at)
                VALUES (:e, :plan, :cycle, :at) ON CONFLICT (execution_id) DO NOTHING""",
                new MapSqlParameterSource("e", execution).addValue("plan", plan).addValue("cycle", ts(cycle))
                        .addValue("at", ts(autoApproveAt)));
    }

    record Due(UUID execution, UUID plan) {
    }

    /** Proposals whose review window has passed at {@code now} and that no one has decided yet. */
    List<Due> dueForApproval(Instant now) {
        return jdbc.query("""
                SELECT p.execution_id, p.plan_id FROM plan_proposals p JOIN executions e ON e.id = p.execution_id
                WHERE p.auto_approve_at <= :now AND p.auto_result IS NULL ORDER BY p.auto_approve_at""",
                new MapSqlParameterSource("now", ts(now)),
                (rs, n) -> new Due((UUID) rs.getObject(1), (UUID) rs.getObject(2)));
    }

    void autoResult(UUID execution, String result) {
        jdbc.update("UPDATE plan_proposals SET auto_result = :r WHERE execution_id = :e",
                new MapSqlParameterSource("e", execution).addValue("r", result.length() > 1000
                        ? result.substring(0, 1000) : result));
    }

    List<Map<String, Object>> history(UUID plan) {
        return jdbc.queryForList("""
                SELECT c.cycle, c.ran_at, c.runs, c.trigger, c.execution_id AS purchase, c.items, c.detail,
                       e.status AS purchase_status, p.auto_approve_at, p.auto_result
                FROM plan_cycles c LEFT JOIN executions e ON e.id = c.execution_id
                LEFT JOIN plan_proposals p ON p.execution_id = c.execution_id
                WHERE c.plan_id = :plan ORDER BY c.cycle DESC LIMIT 100""", new MapSqlParameterSource("plan", plan));
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static final RowMapper<Plan> ROW = (rs, n) -> new Plan((UUID) rs.getObject("id"), rs.getString("name"),
            List.of((UUID[]) array(rs.getArray("accounts"))), List.of((String[]) array(rs.getArray("types"))),
            List.of((String[]) array(rs.getArray("regions"))), rs.getString("cadence"),
            rs.getBigDecimal("ladder_percent"), (Integer) rs.getObject("ladder_max_items"),
            rs.getBigDecimal("min_savings_percent"), rs.getBigDecimal("max_break_even_months"),
            (Integer) rs.getObject("renew_within_days"), rs.getString("mode"), (Integer) rs.getObject("review_hours"),
            rs.getString("status"), rs.getString("created_by"), instant(rs.getTimestamp("created_at")),
            rs.getString("approved_by"), instant(rs.getTimestamp("approved_at")),
            instant(rs.getTimestamp("next_run_at")));

    private static Object[] array(Array a) throws SQLException {
        Object[] values = (Object[]) a.getArray();
        return Arrays.copyOf(values, values.length, values.getClass());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
