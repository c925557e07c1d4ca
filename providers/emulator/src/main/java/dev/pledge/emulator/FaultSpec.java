package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A fault for the next {@code times} calls that match cloud, type, operation and call kind.
 *
 * @param cloud     the cloud
 * @param type      commitment type slug; null matches every type of the cloud
 * @param operation the API's operation name, e.g. {@code PurchaseReservedDBInstancesOffering};
 *                  null matches every operation of the type
 * @param fault     what happens
 * @param times     how many matching calls it applies to (at least 1); for
 *                  {@link FaultKind#COMMIT_THEN_THROTTLE} how many calls after the committed one are throttled
 * @param status    HTTP status for {@link FaultKind#ERROR} (default 500)
 * @param code      the cloud's error code for {@link FaultKind#ERROR} (null: the plug-in's usual code)
 * @param delayMs   delay for {@link FaultKind#DELAY}
 * @param callKinds the kinds of call it applies to ({@link CallKind#LOOKUP}, {@link CallKind#TAG}, ...);
 *                  empty matches every kind
 */
public record FaultSpec(Cloud cloud, String type, String operation, FaultKind fault, int times, int status,
                        String code, long delayMs, Set<CallKind> callKinds) {

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
        callKinds = callKinds == null || callKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(callKinds));
    }

    /** A fault for calls of every kind. */
    public FaultSpec(Cloud cloud, String type, String operation, FaultKind fault, int times, int status, String code,
                     long delayMs) {
        this(cloud, type, operation, fault, times, status, code, delayMs, Set.of());
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

    /**
     * The purchase {@code operation} commits and its response is lost, then its next {@code throttledAfter}
     * calls are throttled: a client that retries the purchase hears only "throttled".
     */
    public static FaultSpec commitThenThrottle(Cloud cloud, String type, String operation, int throttledAfter) {
        return new FaultSpec(cloud, type, operation, FaultKind.COMMIT_THEN_THROTTLE, throttledAfter, 500, null, 0);
    }

    /** The next {@code times} tag calls of a type (EC2/Redshift CreateTags, Savings Plans TagResource) fail with a 500. */
    public static FaultSpec tagFailures(Cloud cloud, String type, int times) {
        return new FaultSpec(cloud, type, null, FaultKind.ERROR, times, 500, null, 0, Set.of(CallKind.TAG));
    }

    /**
     * The next {@code times} lookups of a type (describe/get/list of bought commitments, and offering lookups)
     * are refused with the cloud's authorization error.
     */
    public static FaultSpec refusedLookups(Cloud cloud, String type, int times) {
        return new FaultSpec(cloud, type, null, FaultKind.REFUSED, times, 403, null, 0,
                Set.of(CallKind.LOOKUP, CallKind.OFFERINGS));
    }

    /** The same fault for another number of calls. */
    FaultSpec withTimes(int newTimes) {
        return new FaultSpec(cloud, type, operation, fault, newTimes, status, code, delayMs, callKinds);
    }

    boolean matches(CloudCall call) {
        return call.cloud() == cloud && (type == null || type.equals(call.type()))
                && (operation == null || operation.equalsIgnoreCase(call.operation()))
                && (callKinds.isEmpty() || callKinds.contains(call.kind()));
    }
}
