package dev.pledge.app.cli;

import java.net.URI;

/** The cloud emulator run in-process by {@code pledge serve} in demo mode, on a loopback port. */
final class LocalEmulator implements AutoCloseable {
    private LocalEmulator() {
    }

    static LocalEmulator start() {
        throw new IllegalStateException("the emulator module has no emulator yet");
    }

    URI url() {
        return null;
    }

    @Override
    public void close() {
    }
}
