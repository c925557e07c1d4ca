package dev.pledge.app.budget;

import java.math.BigDecimal;

/**
 * An approval (or re-drive) that would take a budget past its monthly limit; nothing was changed. The API
 * answers 409 {@code urn:pledge:problem:budget-exceeded} with these figures.
 *
 * @param budget   {@code org} or {@code account:<id>}
 * @param asked    what this purchase would reserve of it (null when the price is unknown)
 */
public class BudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String budget;
    private final String currency;
    private final BigDecimal limit;
    private final BigDecimal spent;
    private final BigDecimal reserved;
    private final BigDecimal asked;

    BudgetExceededException(String budget, String currency, BigDecimal limit, BigDecimal spent, BigDecimal reserved,
                            BigDecimal asked, String message) {
        super(message);
        this.budget = budget;
        this.currency = currency;
        this.limit = limit;
        this.spent = spent;
        this.reserved = reserved;
        this.asked = asked;
    }

    public String budget() {
        return budget;
    }

    public String currency() {
        return currency;
    }

    public BigDecimal limit() {
        return limit;
    }

    public BigDecimal spent() {
        return spent;
    }

    public BigDecimal reserved() {
        return reserved;
    }

    public BigDecimal asked() {
        return asked;
    }

    /** What is left of the month's limit; null when unknown. */
    public BigDecimal remaining() {
        return limit == null ? null : limit.subtract(spent).subtract(reserved).max(BigDecimal.ZERO);
    }
}
