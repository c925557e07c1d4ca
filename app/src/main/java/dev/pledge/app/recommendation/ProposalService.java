package dev.pledge.app.recommendation;

import dev.pledge.app.execution.CreatedExecution;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.insight.InsightProperties;
import dev.pledge.common.model.ValidationException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a recommendation into a PENDING_APPROVAL purchase. One recommendation generation gives one purchase,
 * whoever proposes it and however often: the proposal row is written in the purchase's transaction under an
 * advisory lock on the recommendation, and the purchase's Idempotency-Key derives from the recommendation id
 * and generation ({@code recommendation:<id>:<generation>}).
 */
@Service
public class ProposalService {
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ExecutionService executions;
    private final RecommendationStore store;
    private final InsightProperties properties;

    ProposalService(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, ExecutionService executions,
                    RecommendationStore store, InsightProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.executions = executions;
        this.store = store;
        this.properties = properties;
    }

    /** How to scale the recommendation: a fraction (0-1] or an explicit count, at most one of them. */
    public record Scale(BigDecimal fraction, Integer count) {
        String describe() {
            return count != null ? "count=" + count : fraction != null ? "fraction=" + fraction.toPlainString() : "all";
        }
    }

    public record Proposed(UUID purchase, boolean replayed) {
    }

    public static String idempotencyKey(UUID recommendation, long generation) {
        return "recommendation:" + recommendation + ":" + generation;
    }

    /**
     * Proposes recommendation {@code id} as {@code actor} (who owns the purchase), as the API and the console do:
     * refused, with nothing written, when there is no such recommendation, when a later refresh superseded it, or
     * when Pledge bought the same thing within {@code pledge.insights.recently-bought-days} and {@code override}
     * is false. One already proposed gives its purchase again ({@link Proposed#replayed()}).
     */
    public Proposed propose(UUID id, Scale scale, String actor, boolean override, String overrideReason) {
        RecommendationView r = store.find(id, properties.recentlyBoughtDays()).orElseThrow(() ->
                new ProposalRefusedException(ProposalRefusedException.Reason.NOT_FOUND, id, null,
                        properties.recentlyBoughtDays()));
        if (r.proposedAs() == null && !store.isCurrent(id)) {
            throw new ProposalRefusedException(ProposalRefusedException.Reason.SUPERSEDED, id, r,
                    properties.recentlyBoughtDays());
        }
        if (r.proposedAs() == null && r.recentlyBought() && !override) {
            throw new ProposalRefusedException(ProposalRefusedException.Reason.RECENTLY_BOUGHT, id, r,
                    properties.recentlyBoughtDays());
        }
        return propose(r, scale, actor, override ? (overrideReason == null ? "override" : overrideReason) : null);
    }

    Proposed propose(RecommendationView r, Scale scale, String actor, String overrideReason) {
        NewItem item = item(r, scale);
        String key = idempotencyKey(r.id(), r.generation());
        String hash = sha256(key + "|" + scale.describe());
        return tx.execute(s -> {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended(:id, 15))",
                    new MapSqlParameterSource("id", r.id().toString()), Object.class);
            Optional<UUID> earlier = jdbc.queryForList("""
                    SELECT execution_id FROM recommendation_proposals WHERE recommendation_id = :id""",
                    new MapSqlParameterSource("id", r.id()), UUID.class).stream().findFirst();
            if (earlier.isPresent()) {
                return new Proposed(earlier.get(), true);
            }
            CreatedExecution created = executions.create(new NewExecution(actor, "from recommendation " + r.id()
                    + " (" + r.type() + " " + r.offering() + " in " + r.region() + ", generation " + r.generation()
                    + ", " + scale.describe() + ")", null, List.of(item), key, hash));
            UUID purchase = created.detail().execution().id();
            jdbc.update("""
                    INSERT INTO recommendation_proposals (recommendation_id, execution_id, proposed_by, scale,
                        override_reason)
                    VALUES (:id, :purchase, :actor, :scale, :override)""",
                    new MapSqlParameterSource("id", r.id()).addValue("purchase", purchase).addValue("actor", actor)
                            .addValue("scale", scale.describe()).addValue("override", overrideReason));
            return new Proposed(purchase, created.replayed());
        });
    }

    /** The purchase item of a recommendation, scaled; errors name the field. */
    static NewItem item(RecommendationView r, Scale scale) {
        if (scale.fraction() != null && scale.count() != null) {
            throw new ValidationException("fraction", "give either fraction or count, not both");
        }
        if (scale.fraction() != null && (scale.fraction().signum() <= 0 || scale.fraction().compareTo(BigDecimal.ONE) > 0)) {
            throw new ValidationException("fraction", "must be greater than 0 and at most 1, was " + scale.fraction());
        }
        Map<String, String> attributes = new LinkedHashMap<>(r.attributes());
        int quantity = r.quantity();
        if (r.hourlyCommitment() != null) {
            if (scale.count() != null) {
                throw new ValidationException("count", r.type() + " is bought by hourly commitment: use fraction");
            }
            if (scale.fraction() != null) {
                BigDecimal hourly = r.hourlyCommitment().multiply(scale.fraction()).setScale(3, RoundingMode.DOWN);
                if (hourly.signum() <= 0) {
                    throw new ValidationException("fraction", "leaves no hourly commitment to buy");
                }
                attributes.put("hourlyCommitment", hourly.stripTrailingZeros().toPlainString());
            }
        } else if (scale.count() != null) {
            if (scale.count() < 1 || scale.count() > r.quantity()) {
                throw new ValidationException("count", "must be 1-" + r.quantity() + " (the recommended quantity), was "
                        + scale.count());
            }
            quantity = scale.count();
        } else if (scale.fraction() != null) {
            quantity = new BigDecimal(r.quantity()).multiply(scale.fraction()).setScale(0, RoundingMode.DOWN)
                    .intValue();
            if (quantity < 1) {
                throw new ValidationException("fraction", scale.fraction() + " of " + r.quantity()
                        + " is less than one");
            }
        }
        return new NewItem(r.account(), r.type(), r.region(), r.offering(), quantity, r.term(), r.payment(),
                attributes);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
