package dev.pledge.common.spi;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The most an item may cost: the approved quote's amounts with the tolerance already added. An
 * executor re-quotes right before buying and calls {@link #check}: a price above the ceiling in either
 * part (upfront, or recurring converted to the ceiling's unit), or in another currency, buys nothing.
 *
 * @param currency      ISO currency code of the approved quote
 * @param upfront       most the one-time amount may be, for the whole quantity
 * @param recurring     most the recurring amount may be, for the whole quantity per {@code recurringUnit}
 * @param recurringUnit {@code hour} or {@code month}
 */
public record PriceCeiling(String currency, BigDecimal upfront, BigDecimal recurring, String recurringUnit) {
    /** The hours in a month used to compare hourly and monthly prices (365 x 24 / 12, as AWS bills). */
    public static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);

    public PriceCeiling {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(upfront, "upfront");
        Objects.requireNonNull(recurring, "recurring");
        recurringUnit = unit(recurringUnit);
    }

    /**
     * The approved quote plus {@code tolerancePercent} (0 = exactly the approved price).
     */
    public static PriceCeiling of(PriceQuote approved, BigDecimal tolerancePercent) {
        BigDecimal factor = BigDecimal.ONE.add(tolerancePercent.movePointLeft(2));
        return new PriceCeiling(approved.currency(), approved.upfront().multiply(factor),
                approved.recurring().multiply(factor), approved.recurringUnit());
    }

    /**
     * Refuses when the fresh quote is above this ceiling or cannot be had. {@code what} names the item
     * for the message.
     *
     * @throws PriceChangedException      the price is above the ceiling, or in another currency
     * @throws TransientFailureException  no fresh price could be read: nothing is bought without one
     */
    public void check(String what, Optional<PriceQuote> fresh) {
        if (fresh.isEmpty()) {
            throw new TransientFailureException(what + ": the price could not be read again before buying, and an"
                    + " approved price is only kept when it is checked; nothing was bought, re-drive to retry");
        }
        PriceQuote now = fresh.get();
        if (!currency.equalsIgnoreCase(now.currency())) {
            throw new PriceChangedException(what + ": the price is now in " + now.currency() + ", approved in "
                    + currency + "; nothing was bought: create the purchase again to approve the new price");
        }
        BigDecimal recurringNow = inUnit(now.recurring(), unit(now.recurringUnit()), recurringUnit);
        if (now.upfront().compareTo(upfront) > 0 || recurringNow.compareTo(recurring) > 0) {
            throw new PriceChangedException(what + ": the price rose to " + now.currency() + " " + now.upfront()
                    .stripTrailingZeros().toPlainString() + " upfront + " + now.recurring().stripTrailingZeros()
                    .toPlainString() + "/" + unit(now.recurringUnit()) + ", above the approved at most " + this
                    + "; nothing was bought: create the purchase again to approve the new price");
        }
    }

    private static BigDecimal inUnit(BigDecimal amount, String from, String to) {
        if (from.equals(to)) {
            return amount;
        }
        return "hour".equals(from) ? amount.multiply(HOURS_PER_MONTH)
                : amount.divide(HOURS_PER_MONTH, MathContext.DECIMAL64);
    }

    private static String unit(String unit) {
        String u = unit == null ? "hour" : unit.toLowerCase(Locale.ROOT);
        if (!u.equals("hour") && !u.equals("month")) {
            throw new IllegalArgumentException("recurringUnit must be hour or month, got " + unit);
        }
        return u;
    }

    @Override
    public String toString() {
        return currency + " " + upfront.stripTrailingZeros().toPlainString() + " upfront + "
                + recurring.stripTrailingZeros().toPlainString() + "/" + recurringUnit;
    }
}
