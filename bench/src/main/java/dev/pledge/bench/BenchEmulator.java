package dev.pledge.bench;

import dev.pledge.emulator.Emulator;

import java.net.URI;
import java.time.Duration;

/** The project's cloud emulator, started in this JVM on a loopback port, with a latency on every cloud call. */
final class BenchEmulator implements AutoCloseable {
    private final Emulator emulator;

    private BenchEmulator(Emulator emulator) {
        this.emulator = emulator;
    }

    static BenchEmulator start(Duration latency) {
        long t0 = System.nanoTime();
        Emulator emulator = Emulator.builder().bindAddress("127.0.0.1").latency(latency).build().start();
        Progress.say("emulator started on %s in %d ms (latency %d ms per cloud call)", emulator.baseUrl(),
                (System.nanoTime() - t0) / 1_000_000, latency.toMillis());
        return new BenchEmulator(emulator);
    }

    URI url() {
        return emulator.baseUrl();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
