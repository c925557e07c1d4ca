package dev.pledge.app.price;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;

/**
 * {@code pledge.purchases.*}. Checked when bound; a bad value refuses to start naming the property.
 *
 * @param priceTolerance how far above the approved price (in percent, 0-100) the executor may still buy;
 *                       0 (the default) buys only at or below the approved price
 */
@ConfigurationProperties("pledge.purchases")
public record PurchaseProperties(@DefaultValue("0") BigDecimal priceTolerance) {

    public PurchaseProperties {
        if (priceTolerance == null || priceTolerance.signum() < 0 || priceTolerance.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("pledge.purchases.price-tolerance must be a percentage from 0 to 100"
                    + " (e.g. 2.5), was " + priceTolerance);
        }
    }

    public static PurchaseProperties defaults() {
        return new PurchaseProperties(BigDecimal.ZERO);
    }
}
