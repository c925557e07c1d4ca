package dev.pledge.app.execution;

/**
 * One line item's progress. PURCHASING is written (and committed) before the cloud call. CONFIRMING:
 * the cloud accepted the purchase (the item records its commitment) but the order is not final yet;
 * the confirmation sweep moves it to BOUGHT or, when the cloud fails the order, FAILED.
 */
public enum ItemStatus {
    PENDING, PURCHASING, CONFIRMING, BOUGHT, FAILED
}
