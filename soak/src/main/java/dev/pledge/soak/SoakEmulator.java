package dev.pledge.soak;

import dev.pledge.emulator.Emulator;

import java.net.URI;

/** The project's cloud emulator, run inside the soak's own JVM on a loopback port. */
final class SoakEmulator implements AutoCloseable {
    private final Emulator emulator;

    private SoakEmulator(Emulator emulator) {
        this.emulator = emulator;
    }

    static SoakEmulator start() {
        return new SoakEmulator(Emulator.builder().bindAddress("127.0.0.1").threads(48).build().start());
    }

    URI url() {
        return emulator.baseUrl();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
