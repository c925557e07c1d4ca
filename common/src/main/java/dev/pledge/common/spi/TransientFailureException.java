package dev.pledge.common.spi;

/** The call failed before the purchase request was sent (throttling, unreachable endpoint); nothing was bought and it is safe to retry. */
public class TransientFailureException extends PurchaseException {
    private static final long serialVersionUID = 1L;

    public TransientFailureException(String message, String cloudCode, Throwable cause) {
        super(message, cloudCode, cause);
    }

    public TransientFailureException(String message, Throwable cause) {
        super(message, null, cause);
    }

    public TransientFailureException(String message) {
        super(message, null, null);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.TRANSIENT;
    }
}
