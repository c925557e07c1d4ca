package dev.pledge.app.execution;

/** One line item's progress. PURCHASING is written (and committed) before the cloud call. */
public enum ItemStatus {
    PENDING, PURCHASING, BOUGHT, FAILED
}
