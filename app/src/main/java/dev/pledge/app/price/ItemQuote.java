package dev.pledge.app.price;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.common.spi.PriceCeiling;
import dev.pledge.common.spi.PriceQuote;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * What one item costs, for its whole quantity: the quote the approver sees and approves.
 *
 * @param source     {@code cloud} (the executor's offering lookup), {@code recommendation} (the figures of
 *                   the recommendation the item came from, for clouds without a price call) or
 *                   {@code unknown} (then currency and every amount are null)
 * @param hourly     recurring amount per hour
 * @param monthly    recurring amount per month (730 hours)
 * @param total      the whole commitment over the term: upfront + monthly x term months
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemQuote(String source, String currency, BigDecimal upfront, BigDecimal recurring, String recurringUnit,
                        BigDecimal hourly, BigDecimal monthly, int termMonths, BigDecimal total, String offeringId) {
    private static final int SCALE = 6;

    public static ItemQuote unknown(int termMonths) {
        return new ItemQuote("unknown", null, null, null, null, null, null, termMonths, null, null);
    }

    /** From an executor's quote: recurring per hour or per month, both shown. */
    public static ItemQuote fromCloud(PriceQuote q, int termMonths) {
        String unit = q.recurringUnit() == null ? "hour" : q.recurringUnit();
        BigDecimal hourly = "month".equals(unit)
                ? q.recurring().divide(PriceCeiling.HOURS_PER_MONTH, SCALE, RoundingMode.HALF_UP) : q.recurring();
        BigDecimal monthly = "month".equals(unit) ? q.recurring() : q.recurring().multiply(PriceCeiling.HOURS_PER_MONTH);
        return new ItemQuote("cloud", q.currency().toUpperCase(java.util.Locale.ROOT), q.upfront(), q.recurring(), unit,
                hourly, monthly, termMonths, total(q.upfront(), monthly, termMonths), q.offeringId());
    }

    /** From a recommendation's monthly figures. */
    public static ItemQuote fromRecommendation(String currency, BigDecimal upfront, BigDecimal monthly, int termMonths) {
        BigDecimal up = upfront == null ? BigDecimal.ZERO : upfront;
        BigDecimal month = monthly == null ? BigDecimal.ZERO : monthly;
        return new ItemQuote("recommendation", currency, up, month, "month",
                month.divide(PriceCeiling.HOURS_PER_MONTH, SCALE, RoundingMode.HALF_UP), month, termMonths,
                total(up, month, termMonths), null);
    }

    private static BigDecimal total(BigDecimal upfront, BigDecimal monthly, int termMonths) {
        return upfront.add(monthly.multiply(BigDecimal.valueOf(termMonths)), MathContext.DECIMAL128);
    }

    public boolean known() {
        return currency != null;
    }

    /** The most the executor may pay: this price plus {@code tolerancePercent}; null when the price is unknown. */
    public PriceCeiling ceiling(BigDecimal tolerancePercent) {
        return known() ? PriceCeiling.of(new PriceQuote(currency, upfront, recurring, recurringUnit, offeringId),
                tolerancePercent) : null;
    }
}
