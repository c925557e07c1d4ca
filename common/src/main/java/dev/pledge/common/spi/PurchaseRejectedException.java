package dev.pledge.common.spi;

/** The cloud refused the purchase; nothing was bought and retrying the same request will not help. */
public class PurchaseRejectedException extends PurchaseException {
    private static final long serialVersionUID = 1L;

    public PurchaseRejectedException(String message, String cloudCode, Throwable cause) {
        super(message, cloudCode, cause);
    }

    public PurchaseRejectedException(String message, Throwable cause) {
        super(message, null, cause);
    }

    public PurchaseRejectedException(String message) {
        super(message, null, null);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.REJECTED;
    }
}
