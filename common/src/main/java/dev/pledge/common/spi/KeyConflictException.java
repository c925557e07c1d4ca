package dev.pledge.common.spi;

/**
 * The cloud holds a commitment under our derived key, but it is not the one this item asks for
 * (another offering or quantity). Nothing was bought by this call; a person must look.
 */
public class KeyConflictException extends PurchaseRejectedException {
    private static final long serialVersionUID = 1L;

    public KeyConflictException(String message) {
        super(message, "KeyConflict", null);
    }
}
