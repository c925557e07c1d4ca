package dev.pledge.bench;

import java.util.ArrayList;
import java.util.List;

/** What one run of a scenario works with: the server, its fresh database, and what to close after. */
final class RunContext implements AutoCloseable {
    private final BenchDatabase db;
    private final String database;
    private final int run;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

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
