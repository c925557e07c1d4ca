package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;

import java.util.Objects;

/**
 * A request a plug-in recognised: which cloud, which commitment type (slug, e.g. {@code aws-rds};
 * null for calls that belong to no type, such as STS), the API's own operation name
 * (e.g. {@code PurchaseReservedDBInstancesOffering}) and what kind of call it is. Faults and
 * request counters are keyed by it.
 */
public record CloudCall(Cloud cloud, String type, String operation, CallKind kind) {
    public CloudCall {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(kind, "kind");
    }
}
