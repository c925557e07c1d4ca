package dev.pledge.app.price;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;

/**
 * {@code pledge.purchases.*}. Checked when bound; a bad value refuses to start naming the property.
 *
 * @param priceTolerance      how far above the approved price (in percent, 0-100) the executor may still buy;
 *                            0 (the default) buys only at or below the approved price
 * @param secondApprovalAbove per currency ({@code pledge.purchases.second-approval-above.USD=250000}): a purchase
 *                            whose total commitment in that currency is above the amount, or has an item of unknown
 *                            price while any amount is set, needs two approvals by two people besides its creator;
 *                            none by default
 */
@ConfigurationProperties("pledge.purchases")
public record PurchaseProperties(@DefaultValue("0") BigDecimal priceTolerance,
                                 java.util.Map<String, BigDecimal> secondApprovalAbove) {

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public PurchaseProperties {
        if (priceTolerance == null || priceTolerance.signum() < 0 || priceTolerance.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("pledge.purchases.price-tolerance must be a percentage from 0 to 100"
                    + " (e.g. 2.5), was " + priceTolerance);
        }
        java.util.Map<String, BigDecimal> checked = new java.util.TreeMap<>();
        if (secondApprovalAbove != null) {
            secondApprovalAbove.forEach((currency, amount) -> {
                if (currency == null || !currency.matches("[A-Z]{3}")) {
                    throw new IllegalArgumentException("pledge.purchases.second-approval-above: keys are ISO currency"
                            + " codes such as USD, was '" + currency + "'");
                }
                if (amount == null || amount.signum() <= 0) {
                    throw new IllegalArgumentException("pledge.purchases.second-approval-above." + currency
                            + " must be a positive amount (the total commitment above which two approvals are"
                            + " needed), was " + amount);
                }
                checked.put(currency, amount);
            });
        }
        secondApprovalAbove = java.util.Collections.unmodifiableMap(checked);
    }

    public PurchaseProperties(BigDecimal priceTolerance) {
        this(priceTolerance, java.util.Map.of());
    }

    public static PurchaseProperties defaults() {
        return new PurchaseProperties(BigDecimal.ZERO);
    }
}
