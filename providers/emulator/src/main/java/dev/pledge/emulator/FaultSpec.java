package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;

import java.util.Objects;

/**
 * A fault for the next {@code times} calls that match cloud, type and operation.
 *
 * @param cloud     the cloud
 * @param type      commitment type slug; null matches every type of the cloud
 * @param operation the API's operation name, e.g. {@code PurchaseReservedDBInstancesOffering};
 *                  null matches every operation of the type
 * @param fault     what happens
 * @param times     how many matching calls it applies to (at least 1)
 * @param status    HTTP status for {@link FaultKind#ERROR} (default 500)
 * @param code      the cloud's error code for {@link FaultKind#ERROR} (null: the plug-in's usual code)
 * @param delayMs   delay for {@link FaultKind#DELAY}
 */
public record FaultSpec(Cloud cloud, String type, String operation, FaultKind fault, int times, int status,
                        String code, long delayMs) {

    public FaultSpec {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times: must be at least 1, was " + times);
        }
        if (status == 0) {
            status = 500;
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: must be an HTTP error status 400-599, was " + status);
        }
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs: must not be negative, was " + delayMs);
        }
        if (fault == FaultKind.DELAY && delayMs == 0) {
            throw new IllegalArgumentException("delayMs: is required for a delay fault");
        }
    }

    public static FaultSpec of(Cloud cloud, String type, String operation, FaultKind fault, int times) {
        return new FaultSpec(cloud, type, operation, fault, times, 500, null, 0);
    }

    public static FaultSpec error(Cloud cloud, String type, String operation, int times, int status, String code) {
        return new FaultSpec(cloud, type, operation, FaultKind.ERROR, times, status, code, 0);
    }

    public static FaultSpec delay(Cloud cloud, String type, String operation, int times, long delayMs) {
        return new FaultSpec(cloud, type, operation, FaultKind.DELAY, times, 500, null, delayMs);
    }

    boolean matches(CloudCall call) {
        return call.cloud() == cloud && (type == null || type.equals(call.type()))
                && (operation == null || operation.equalsIgnoreCase(call.operation()));
    }
}
