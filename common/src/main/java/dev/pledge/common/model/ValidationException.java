package dev.pledge.common.model;

/**
 * Bad input, found before anything was sent or written. Always names the field at fault and
 * says what would be accepted, so the caller can fix it without reading code.
 */
public class ValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String problem;

    public ValidationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The field at fault, e.g. {@code quantity} or {@code attributes.instanceType}. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field name. */
    public String problem() {
        return problem;
    }
}
