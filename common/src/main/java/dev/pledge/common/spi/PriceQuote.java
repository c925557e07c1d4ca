package dev.pledge.common.spi;

import java.math.BigDecimal;

/**
 * What the cloud's offering lookup says a request would cost, for dry runs.
 *
 * @param currency      ISO currency code
 * @param upfront       one-time amount for the whole quantity (zero when none)
 * @param recurring     recurring amount for the whole quantity per {@code recurringUnit}
 * @param recurringUnit e.g. {@code hour} or {@code month}
 * @param offeringId    the cloud's offering id the price belongs to, when it has one
 */
public record PriceQuote(String currency, BigDecimal upfront, BigDecimal recurring, String recurringUnit,
                         String offeringId) {
}
