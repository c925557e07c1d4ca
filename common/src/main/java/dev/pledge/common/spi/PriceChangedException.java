package dev.pledge.common.spi;

/**
 * The executor's re-quote right before buying was above the approved price: nothing was bought. The
 * item needs a new approval at the new price.
 */
public class PriceChangedException extends PurchaseException {
    private static final long serialVersionUID = 1L;

    public PriceChangedException(String message) {
        super(message, null, null);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.PRICE_CHANGED;
    }
}
