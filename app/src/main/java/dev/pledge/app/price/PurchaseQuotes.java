package dev.pledge.app.price;

import dev.pledge.app.execution.ExecutionHooks;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.PriceQuote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prices in the workflow: each item of a new purchase is quoted by its executor (before the create
 * transaction; the quotes are written inside it), and the approval writes each priced item's ceiling,
 * the approved quote plus {@code pledge.purchases.price-tolerance}, which the engine hands to the executor.
 * GCP has no price call: an item proposed from a recommendation takes the recommendation's figures
 * (scaled to the item's quantity), any other GCP item is priced unknown.
 */
@Component
// first among the hooks: the approval writes the ceilings before the budget reserves by them
@org.springframework.core.annotation.Order(1)
public class PurchaseQuotes implements ExecutionHooks {
    private static final Logger log = LoggerFactory.getLogger(PurchaseQuotes.class);
    private static final Pattern FROM_RECOMMENDATION = Pattern.compile("^recommendation:([0-9a-f-]{36}):\\d+$");

    private final ExecutorRegistry executors;
    private final PriceStore store;
    private final NamedParameterJdbcTemplate jdbc;
    private final PurchaseProperties properties;

    public PurchaseQuotes(ExecutorRegistry executors, PriceStore store, NamedParameterJdbcTemplate jdbc,
                  PurchaseProperties properties) {
        this.executors = executors;
        this.store = store;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public Consumer<UUID> creating(NewExecution request, List<CommitmentRequest> items) {
        List<ItemQuote> quotes = new ArrayList<>();
        for (CommitmentRequest item : items) {
            quotes.add(quote(item, request.idempotencyKey()));
        }
        return id -> {
            for (int i = 0; i < quotes.size(); i++) {
                store.insert(id, i, quotes.get(i));
            }
        };
    }

    /**
     * Two when {@code pledge.purchases.second-approval-above} is set and the purchase's total commitment in a
     * currency is above its amount, or an item's price is unknown (it cannot be shown to be below).
     */
    @Override
    public int approvalsNeeded(UUID executionId) {
        if (properties.secondApprovalAbove().isEmpty()) {
            return 1;
        }
        java.util.Collection<ItemQuote> quotes = store.quotes(executionId).values();
        if (quotes.stream().anyMatch(q -> q.currency() == null)) {
            return 2;
        }
        for (var e : PriceStore.totals(quotes).entrySet()) {
            java.math.BigDecimal above = properties.secondApprovalAbove().get(e.getKey());
            if (above != null && e.getValue().get("total").compareTo(above) > 0) {
                return 2;
            }
        }
        return 1;
    }

    @Override
    public void approving(UUID executionId) {
        store.writeCeilings(executionId, properties.priceTolerance());
    }

    /** The quote of one item; a failed lookup is an unknown price, never a guess. */
    ItemQuote quote(CommitmentRequest item, String idempotencyKey) {
        int months = item.term().years() * 12;
        if (item.type().cloud() == Cloud.GCP) {
            return fromRecommendation(item, idempotencyKey).orElse(ItemQuote.unknown(months));
        }
        Optional<PriceQuote> q;
        try {
            q = executors == null || !executors.supports(item.type()) ? Optional.empty()
                    : executors.executor(item.type()).quote(item);
        } catch (RuntimeException e) {
            log.warn("no price for {} {} x {} in {}: {}", item.type().slug(), item.quantity(), item.offering(),
                    item.region(), e.toString());
            q = Optional.empty();
        }
        return q.filter(p -> p.currency() != null && p.upfront() != null && p.recurring() != null)
                .map(p -> ItemQuote.fromCloud(p, months)).orElse(ItemQuote.unknown(months));
    }

    private Optional<ItemQuote> fromRecommendation(CommitmentRequest item, String idempotencyKey) {
        Matcher m = idempotencyKey == null ? null : FROM_RECOMMENDATION.matcher(idempotencyKey);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return jdbc.query("""
                        SELECT currency, upfront_cost, monthly_recurring_cost, quantity FROM recommendations
                        WHERE id = :id AND offering = :offering AND region = :region""",
                new MapSqlParameterSource("id", UUID.fromString(m.group(1))).addValue("offering", item.offering())
                        .addValue("region", item.region()),
                (rs, n) -> {
                    BigDecimal share = BigDecimal.valueOf(item.quantity())
                            .divide(BigDecimal.valueOf(rs.getInt("quantity")), MathContext.DECIMAL64);
                    BigDecimal upfront = rs.getBigDecimal("upfront_cost");
                    BigDecimal monthly = rs.getBigDecimal("monthly_recurring_cost");
                    return ItemQuote.fromRecommendation(rs.getString("currency"),
                            upfront == null ? null : upfront.multiply(share),
                            monthly == null ? null : monthly.multiply(share), item.term().years() * 12);
                }).stream().findFirst();
    }
}
