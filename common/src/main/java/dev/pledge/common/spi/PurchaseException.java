package dev.pledge.common.spi;

/** A purchase call that did not produce an outcome. The subclass says what it means for money. */
public abstract class PurchaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String cloudCode;

    protected PurchaseException(String message, String cloudCode, Throwable cause) {
        super(message, cause);
        this.cloudCode = cloudCode;
    }

    public abstract FailureKind kind();

    /** The cloud's error code when there was one (e.g. {@code InvalidParameterValue}), else null. */
    public String cloudCode() {
        return cloudCode;
    }
}
