package dev.pledge.common.insight;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/** An amount of money as the cloud reported it: a decimal, never a floating-point number, with its ISO currency. */
public record Money(BigDecimal amount, String currency) {
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public Money {
        Objects.requireNonNull(amount, "amount");
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency: must be an ISO 4217 code such as USD, was " + currency);
        }
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    /** Null when {@code amount} is null (the cloud did not report it). */
    public static Money orNull(BigDecimal amount, String currency) {
        return amount == null ? null : new Money(amount, currency);
    }
}
