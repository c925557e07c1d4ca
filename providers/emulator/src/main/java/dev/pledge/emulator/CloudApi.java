package dev.pledge.emulator;

import java.util.List;
import java.util.Optional;

/**
 * One emulated cloud service, plugged into the {@link Emulator}. The core receives every request,
 * asks each plug-in in turn to {@link #recognise} it, counts it, applies any injected fault, and
 * only then lets the plug-in {@link #handle} it against the shared {@link CloudState}.
 * Plug-ins keep no state of their own, so {@code POST /__pledge/reset} resets everything.
 */
public interface CloudApi {

    /** The call this request is, or empty when it belongs to another plug-in. Must not change state. */
    Optional<CloudCall> recognise(CloudRequest request);

    /** Answers a recognised call exactly as the cloud would, reading and changing {@code state}. */
    CloudResponse handle(CloudCall call, CloudRequest request, CloudState state);

    /**
     * The cloud's error answer in its own body shape: HTTP {@code status} with error {@code code}
     * (null: the plug-in's usual code for that status) and a message. Used for injected faults.
     */
    CloudResponse error(CloudCall call, CloudRequest request, int status, String code, String message);

    /** Offerings this plug-in's services sell out of the box; the emulator seeds its catalog with them. */
    default List<Offering> seedOfferings() {
        return List.of();
    }

    /**
     * The cloud's answer to a caller whose identity may not make this call (the {@code refused} fault);
     * by default HTTP 403 with code {@code AccessDenied}, the AWS query APIs' shape.
     */
    default CloudResponse refused(CloudCall call, CloudRequest request) {
        return error(call, request, 403, "AccessDenied", "User is not authorized to perform: " + call.operation());
    }

    /** The cloud's throttling answer; by default HTTP 429 with code {@code Throttling}. */
    default CloudResponse throttled(CloudCall call, CloudRequest request) {
        return error(call, request, 429, "Throttling", "Rate exceeded");
    }
}
