package dev.pledge.emulator;

/** How many requests of one call (cloud, type, operation, kind) reached the emulator. */
public record RequestCount(CloudCall call, int count) {
}
