package dev.pledge.common.spi;

/** The guard could not look the commitment up, so it cannot tell whether it is owned; nothing was bought. */
public class GuardUndecidedException extends PurchaseException {
    private static final long serialVersionUID = 1L;

    public GuardUndecidedException(String message, String cloudCode, Throwable cause) {
        super(message, cloudCode, cause);
    }

    public GuardUndecidedException(String message, Throwable cause) {
        super(message, null, cause);
    }

    public GuardUndecidedException(String message) {
        super(message, null, null);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.GUARD_UNDECIDED;
    }
}
