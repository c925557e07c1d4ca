package dev.pledge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What one run of a scenario works with: the server, its fresh database, and what to close after. */
final class RunContext implements AutoCloseable {
    private final BenchDatabase db;
    private final String database;
    private final int run;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private EmulatorClient emulator;

    RunContext(BenchDatabase db, String database, int run) {
        this.db = db;
        this.database = database;
        this.run = run;
    }

    BenchDatabase db() {
        return db;
    }

    String database() {
        return database;
    }

    int run() {
        return run;
    }

    /**
     * The emulator of this run, emptied: started in this JVM with the given latency on every call,
     * or the running one named by {@code --emulator-url}.
     */
    EmulatorClient emulator(EmulatorOptions options, Duration defaultLatency) {
        if (emulator == null) {
            Duration latency = options.latencyMs >= 0 ? Duration.ofMillis(options.latencyMs) : defaultLatency;
            if (options.url != null) {
                emulator = new EmulatorClient(options.url);
                emulator.reset();
                if (!latency.isZero()) {
                    throw new IllegalArgumentException("--latency-ms needs the in-process emulator (no --emulator-url)");
                }
                Progress.say("using the emulator at %s", options.url);
            } else {
                BenchEmulator started = closeAfterRun(BenchEmulator.start(latency));
                emulator = new EmulatorClient(started.url());
            }
        }
        return emulator;
    }

    /** Closed when the run ends, last registered first. */
    <T extends AutoCloseable> T closeAfterRun(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            try {
                closeAfter.get(i).close();
            } catch (Exception e) {
                Progress.say("could not close %s: %s", closeAfter.get(i), e);
            }
        }
    }
}
