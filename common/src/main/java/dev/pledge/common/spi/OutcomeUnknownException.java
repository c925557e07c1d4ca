package dev.pledge.common.spi;

/** The purchase request was sent and no answer came back: it may have been bought. A re-drive with the same token goes through the guard. */
public class OutcomeUnknownException extends PurchaseException {
    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(String message, String cloudCode, Throwable cause) {
        super(message, cloudCode, cause);
    }

    public OutcomeUnknownException(String message, Throwable cause) {
        super(message, null, cause);
    }

    public OutcomeUnknownException(String message) {
        super(message, null, null);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.OUTCOME_UNKNOWN;
    }
}
