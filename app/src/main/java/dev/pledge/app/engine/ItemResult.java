package dev.pledge.app.engine;

import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.PurchaseOutcome;

/** How one purchase call ended: an outcome (owned now) or a failure with what to do about it. */
record ItemResult(PurchaseOutcome outcome, FailureKind failure, String error) {

    static ItemResult owned(PurchaseOutcome outcome) {
        return new ItemResult(outcome, null, null);
    }

    static ItemResult failed(FailureKind kind, String error) {
        String message = error == null ? kind.name() : error;
        return new ItemResult(null, kind, message.length() > 2000 ? message.substring(0, 2000) : message);
    }

    boolean owned() {
        return outcome != null;
    }

    /** The word stored in item_attempts.result and used as the metric tag. */
    String result() {
        return owned() ? outcome.kind().name() : failure.name();
    }
}
