package dev.pledge.app.insight;

import dev.pledge.common.insight.HeldCommitment;
import dev.pledge.common.insight.Money;
import dev.pledge.common.insight.Recommendation;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Generations of inventory and recommendations. A generation's rows and its promotion to current are one
 * transaction; a failure only marks the source stale, so readers always see one complete generation.
 */
public class InsightStore {
    public static final String INVENTORY = "inventory";
    public static final String RECOMMENDATIONS = "recommendations";
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public InsightStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Records that a refresh of one source started; committed on its own, so a crash leaves evidence. */
    long begin(String kind, UUID account, String type) {
        Long id = jdbc.queryForObject("""
                INSERT INTO insight_generations (kind, account_id, type, status)
                VALUES (:kind, :account, :type, 'RUNNING') RETURNING id""",
                new MapSqlParameterSource("kind", kind).addValue("account", account).addValue("type", type), Long.class);
        return id;
    }

    /** Stores the rows and makes the generation current, in one transaction. */
    void completeRecommendations(long generation, UUID account, String type, List<Recommendation> rows) {
        tx.executeWithoutResult(s -> {
            for (Recommendation r : rows) {
                Money savings = r.monthlySavings();
                jdbc.update("""
                        INSERT INTO recommendations (generation_id, account_id, cloud, type, region, offering, quantity,
                            hourly_commitment, term, payment, attributes, currency, monthly_savings, upfront_cost,
                            monthly_recurring_cost, break_even_months, lookback, cloud_recommendation_id, etag,
                            generated_at, details)
                        VALUES (:generation, :account, :cloud, :type, :region, :offering, :quantity, :hourly, :term,
                            :payment, CAST(:attributes AS jsonb), :currency, :savings, :upfront, :recurring, :breakEven,
                            :lookback, :cloudId, :etag, :generatedAt, CAST(:details AS jsonb))""",
                        new MapSqlParameterSource("generation", generation).addValue("account", account)
                                .addValue("cloud", r.type().cloud().slug()).addValue("type", r.type().slug())
                                .addValue("region", r.region()).addValue("offering", r.offering())
                                .addValue("quantity", r.quantity()).addValue("hourly", r.hourlyCommitment())
                                .addValue("term", r.term().slug())
                                .addValue("payment", r.payment() == null ? null : r.payment().slug())
                                .addValue("attributes", Json.write(r.purchaseAttributes()))
                                .addValue("currency", savings.currency()).addValue("savings", savings.amount())
                                .addValue("upfront", r.upfrontCost() == null ? null : r.upfrontCost().amount())
                                .addValue("recurring", r.monthlyRecurringCost() == null ? null
                                        : r.monthlyRecurringCost().amount())
                                .addValue("breakEven", r.breakEvenMonths()).addValue("lookback", r.lookback())
                                .addValue("cloudId", r.cloudRecommendationId()).addValue("etag", r.etag())
                                .addValue("generatedAt", ts(r.generatedAt()))
                                .addValue("details", Json.write(r.details())));
            }
            promote(generation, RECOMMENDATIONS, account, type, rows.size());
        });
    }

    void completeInventory(long generation, UUID account, String type, List<HeldCommitment> rows) {
        tx.executeWithoutResult(s -> {
            for (HeldCommitment c : rows) {
                String currency = c.upfront() != null ? c.upfront().currency()
                        : c.recurringHourly() != null ? c.recurringHourly().currency() : null;
                jdbc.update("""
                        INSERT INTO held_commitments (generation_id, account_id, cloud, type, region, commitment_id,
                            commitment_key, offering, offering_id, quantity, hourly_commitment, term, payment, start_at,
                            end_at, state, active, currency, upfront, recurring_hourly, auto_renew, attributes)
                        VALUES (:generation, :account, :cloud, :type, :region, :id, :key, :offering, :offeringId,
                            :quantity, :hourly, :term, :payment, :start, :end, :state, :active, :currency, :upfront,
                            :recurring, :autoRenew, CAST(:attributes AS jsonb))
                        ON CONFLICT (generation_id, commitment_id) DO NOTHING""",
                        new MapSqlParameterSource("generation", generation).addValue("account", account)
                                .addValue("cloud", c.type().cloud().slug()).addValue("type", c.type().slug())
                                .addValue("region", c.region()).addValue("id", c.commitmentId())
                                .addValue("key", c.key()).addValue("offering", c.offering())
                                .addValue("offeringId", c.offeringId()).addValue("quantity", c.quantity())
                                .addValue("hourly", c.hourlyCommitment())
                                .addValue("term", c.term() == null ? null : c.term().slug())
                                .addValue("payment", c.payment() == null ? null : c.payment().slug())
                                .addValue("start", ts(c.start())).addValue("end", ts(c.end()))
                                .addValue("state", c.state()).addValue("active", c.active())
                                .addValue("currency", currency)
                                .addValue("upfront", c.upfront() == null ? null : c.upfront().amount())
                                .addValue("recurring", c.recurringHourly() == null ? null : c.recurringHourly().amount())
                                .addValue("autoRenew", c.autoRenew())
                                .addValue("attributes", Json.write(c.attributes())));
            }
            promote(generation, INVENTORY, account, type, rows.size());
        });
    }

    private void promote(long generation, String kind, UUID account, String type, int rows) {
        MapSqlParameterSource p = new MapSqlParameterSource("generation", generation).addValue("kind", kind)
                .addValue("account", account).addValue("type", type).addValue("rows", rows);
        jdbc.update("""
                UPDATE insight_generations SET status = 'COMPLETE', finished_at = now(), row_count = :rows
                WHERE id = :generation""", p);
        jdbc.update("""
                INSERT INTO insight_sources (kind, account_id, type, current_generation, refreshed_at, last_attempt_at,
                    stale, stale_reason)
                VALUES (:kind, :account, :type, :generation, now(), now(), false, NULL)
                ON CONFLICT (kind, account_id, type) DO UPDATE SET current_generation = EXCLUDED.current_generation,
                    refreshed_at = EXCLUDED.refreshed_at, last_attempt_at = EXCLUDED.last_attempt_at, stale = false,
                    stale_reason = NULL""", p);
    }

    /** The generation failed: the current one stays, marked stale with the reason. */
    void fail(long generation, String kind, UUID account, String type, String reason) {
        String why = reason == null ? "unknown error" : reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        tx.executeWithoutResult(s -> {
            MapSqlParameterSource p = new MapSqlParameterSource("generation", generation).addValue("kind", kind)
                    .addValue("account", account).addValue("type", type).addValue("reason", why);
            jdbc.update("""
                    UPDATE insight_generations SET status = 'FAILED', finished_at = now(), error = :reason
                    WHERE id = :generation""", p);
            jdbc.update("""
                    INSERT INTO insight_sources (kind, account_id, type, current_generation, refreshed_at,
                        last_attempt_at, stale, stale_reason)
                    VALUES (:kind, :account, :type, NULL, NULL, now(), true, :reason)
                    ON CONFLICT (kind, account_id, type) DO UPDATE SET last_attempt_at = now(), stale = true,
                        stale_reason = EXCLUDED.stale_reason""", p);
        });
    }

    /**
     * How fresh one kind of data is, over the sources of enabled accounts: how many there are, the oldest and
     * newest successful refresh, the last attempt, and how many are stale (their last refresh failed; the data
     * shown is the previous generation's) with one of the reasons.
     */
    public record Freshness(int sources, Instant oldest, Instant newest, Instant lastAttempt, int stale,
                            String staleReason) {
    }

    public Freshness freshness(String kind) {
        return jdbc.queryForObject("""
                SELECT count(*) AS sources, min(s.refreshed_at) AS oldest, max(s.refreshed_at) AS newest,
                       max(s.last_attempt_at) AS last_attempt, count(*) FILTER (WHERE s.stale) AS stale,
                       min(s.stale_reason) FILTER (WHERE s.stale) AS stale_reason
                FROM insight_sources s JOIN accounts a ON a.id = s.account_id AND a.enabled
                WHERE s.kind = :kind""", new MapSqlParameterSource("kind", kind), (rs, n) -> new Freshness(
                rs.getInt("sources"), instant(rs.getTimestamp("oldest")), instant(rs.getTimestamp("newest")),
                instant(rs.getTimestamp("last_attempt")), rs.getInt("stale"), rs.getString("stale_reason")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** Regions where the account holds (current inventory) or Pledge bought a commitment of the type. */
    List<String> knownRegions(UUID account, String type) {
        return jdbc.queryForList("""
                SELECT region FROM items WHERE account_id = :account AND type = :type
                UNION
                SELECT h.region FROM held_commitments h
                JOIN insight_sources s ON s.kind = 'inventory' AND s.account_id = h.account_id AND s.type = h.type
                                       AND s.current_generation = h.generation_id
                WHERE h.account_id = :account AND h.type = :type""",
                new MapSqlParameterSource("account", account).addValue("type", type), String.class);
    }

    /** A bought proposal whose recommendation the cloud has not been told about (fully) yet. */
    public record BoughtProposal(UUID recommendation, Recommendation source, String mark, String etag) {
    }

    /**
     * Proposals of the account's recommendations of this type whose purchase SUCCEEDED and that are not marked
     * succeeded (or refused) at the cloud yet, with the etag to send next.
     */
    List<BoughtProposal> boughtUnmarked(UUID account, String type) {
        return jdbc.query("""
                SELECT r.id, r.region, r.offering, r.quantity, r.term, r.currency, r.monthly_savings,
                       r.cloud_recommendation_id, a.external_id, p.cloud_mark, coalesce(p.cloud_etag, r.etag) AS etag
                FROM recommendation_proposals p
                JOIN recommendations r ON r.id = p.recommendation_id
                JOIN executions e ON e.id = p.execution_id
                JOIN accounts a ON a.id = r.account_id
                WHERE r.account_id = :account AND r.type = :type AND e.status = 'SUCCEEDED'
                  AND r.cloud_recommendation_id IS NOT NULL AND r.etag IS NOT NULL
                  AND (p.cloud_mark IS NULL OR p.cloud_mark = 'CLAIMED')
                ORDER BY p.proposed_at""",
                new MapSqlParameterSource("account", account).addValue("type", type), (rs, n) ->
                        new BoughtProposal(rs.getObject("id", UUID.class), new Recommendation(
                                dev.pledge.common.model.CommitmentType.fromSlug("type", type),
                                rs.getString("external_id"), rs.getString("region"), rs.getString("offering"),
                                rs.getInt("quantity"), null, dev.pledge.common.model.Term.fromSlug(rs.getString("term")),
                                null, java.util.Map.of(), new Money(rs.getBigDecimal("monthly_savings"),
                                rs.getString("currency")), null, null, null, null,
                                rs.getString("cloud_recommendation_id"), rs.getString("etag"), null, java.util.Map.of()),
                                rs.getString("cloud_mark"), rs.getString("etag")));
    }

    /** Records a mark the cloud accepted and the etag it returned. */
    void marked(UUID recommendation, String mark, String etag) {
        jdbc.update("""
                UPDATE recommendation_proposals SET cloud_mark = :mark, cloud_etag = :etag, cloud_marked_at = now(),
                    cloud_mark_error = NULL
                WHERE recommendation_id = :id""",
                new MapSqlParameterSource("id", recommendation).addValue("mark", mark).addValue("etag", etag));
    }

    /** The cloud refused a mark for good: recorded with the reason, not tried again. */
    void markRefused(UUID recommendation, String reason) {
        jdbc.update("""
                UPDATE recommendation_proposals SET cloud_mark = 'REFUSED', cloud_marked_at = now(),
                    cloud_mark_error = :reason
                WHERE recommendation_id = :id""",
                new MapSqlParameterSource("id", recommendation).addValue("reason",
                        reason == null ? "unknown" : reason.length() > 1000 ? reason.substring(0, 1000) : reason));
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
