package dev.pledge.bench;

import java.net.URI;
import java.time.Duration;

/** The project's cloud emulator, started in this JVM on a loopback port. */
final class BenchEmulator implements AutoCloseable {
    private final URI url;

    private BenchEmulator(URI url) {
        this.url = url;
    }

    static BenchEmulator start(Duration latency) {
        throw new IllegalStateException("the in-process emulator is not available yet (providers/emulator has no "
                + "Emulator class); start one and pass --emulator-url");
    }

    URI url() {
        return url;
    }

    @Override
    public void close() {
    }
}
