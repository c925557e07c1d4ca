package dev.pledge.soak;

import java.net.URI;

/** Placeholder until the emulator module lands: refuses to run. */
final class SoakEmulator implements AutoCloseable {
    static SoakEmulator start() {
        throw new IllegalStateException("the emulator module is not available yet");
    }

    URI url() {
        throw new IllegalStateException("not started");
    }

    @Override
    public void close() {
    }
}
