package dev.pledge.common.spi;

/**
 * A check the caller runs right before an executor sends a purchase request: the engine proves it
 * still owns the execution and its purchase lock on the connection that holds the lock; the CLI that
 * it still holds the token's journal lock. It throws {@link GuardUndecidedException} when it cannot
 * prove it, and the executor then sends nothing.
 */
@FunctionalInterface
public interface PurchaseGate {
    PurchaseGate OPEN = () -> { };

    void check();
}
