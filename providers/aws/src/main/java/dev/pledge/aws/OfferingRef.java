package dev.pledge.aws;

import java.math.BigDecimal;

/**
 * The offering a request resolves to, with its price per unit.
 *
 * @param offeringId AWS's offering id
 * @param product    instance / node type or plan type
 * @param currency   ISO currency
 * @param upfront    one-time price per unit
 * @param hourly     recurring price per unit per hour
 */
record OfferingRef(String offeringId, String product, String currency, BigDecimal upfront, BigDecimal hourly) {
    static BigDecimal amount(Double d) {
        return d == null ? BigDecimal.ZERO : BigDecimal.valueOf(d);
    }

    static BigDecimal amount(Float f) {
        return f == null ? BigDecimal.ZERO : new BigDecimal(Float.toString(f));
    }
}
