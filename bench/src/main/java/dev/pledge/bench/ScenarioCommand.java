package dev.pledge.bench;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs one scenario {@code --runs} times, each on a fresh database of the same server, prints
 * each run's result lines and, for several runs, one more line per result with the medians of
 * its numeric fields.
 */
abstract class ScenarioCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "1", paramLabel = "<n>",
            description = "Repeat the scenario n times (1-20) and add a line with the medians. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--pg", paramLabel = "<setting=value>",
            description = "A server setting for the embedded PostgreSQL (repeatable), e.g. --pg synchronous_commit=off. "
                    + "Defaults: fsync=on, synchronous_commit=on, shared_buffers=256MB, max_connections=300.")
    Map<String, String> pgSettings = new LinkedHashMap<>();

    @Option(names = "--keep-database", description = "Keep each run's database instead of dropping it.")
    boolean keepDatabase;

    /** The scenario's name, as on the command line and in the JSON lines. */
    abstract String name();

    /** One run on a fresh database; returns the result lines (usually one). */
    abstract List<JsonLine> runOnce(RunContext context) throws Exception;

    /** Server settings the scenario needs on the embedded PostgreSQL (the user's --pg settings win). */
    Map<String, String> serverSettings() {
        return Map.of();
    }

    /**
     * Whether every run uses the first run's database (data loaded once, e.g. a million rows) instead of
     * a fresh one; the database is dropped after the last run.
     */
    boolean reuseDatabaseAcrossRuns() {
        return false;
    }

    /** Whether the scenario needs PostgreSQL at all. */
    boolean needsDatabase() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 20) {
            throw new IllegalArgumentException("--runs must be 1-20, was " + runs);
        }
        Map<String, String> settings = new LinkedHashMap<>(serverSettings());
        settings.putAll(pgSettings);
        BenchDatabase db = needsDatabase() ? BenchDatabase.start(settings) : null;
        try {
            Map<String, Object> machine = Machine.describe(db == null ? Map.of("used", false) : db.describe());
            Map<String, List<JsonLine>> byPart = new LinkedHashMap<>();
            String shared = null;
            try {
                for (int run = 1; run <= runs; run++) {
                    Progress.say("%s: run %d of %d", name(), run, runs);
                    String database;
                    if (db == null) {
                        database = null;
                    } else if (reuseDatabaseAcrossRuns()) {
                        shared = shared == null ? db.createDatabase(name()) : shared;
                        database = shared;
                    } else {
                        database = db.createDatabase(name());
                    }
                    // the machine is shared: the load when each run started, next to its figures
                    Double load = Machine.loadAverage();
                    try (RunContext context = new RunContext(db, database, run)) {
                        for (JsonLine line : runOnce(context)) {
                            line.put("run", run);
                            line.put("load_avg_1m_at_run_start", load);
                            line.put("machine", machine);
                            BenchMain.print(line);
                            byPart.computeIfAbsent(String.valueOf(line.get("part")), k -> new ArrayList<>()).add(line);
                        }
                    } finally {
                        if (db != null && !keepDatabase && !reuseDatabaseAcrossRuns()) {
                            db.dropDatabase(database);
                        }
                    }
                }
            } finally {
                if (shared != null && !keepDatabase) {
                    db.dropDatabase(shared);
                }
            }
            if (runs > 1) {
                for (List<JsonLine> lines : byPart.values()) {
                    BenchMain.print(medians(lines, machine));
                }
            }
            return 0;
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    /** The first line's fields, with every numeric field replaced by its median over the runs. */
    static JsonLine medians(List<JsonLine> lines, Map<String, Object> machine) {
        JsonLine out = new JsonLine();
        for (Map.Entry<String, Object> e : lines.get(0).fields().entrySet()) {
            String key = e.getKey();
            if (key.equals("run") || key.equals("machine")) {
                continue;
            }
            if (e.getValue() instanceof Number) {
                List<Double> values = new ArrayList<>();
                for (JsonLine l : lines) {
                    if (l.get(key) instanceof Number n) {
                        values.add(n.doubleValue());
                    }
                }
                out.put(key, Stats.median(values), 3);
            } else {
                out.put(key, e.getValue());
            }
        }
        out.put("aggregate", "median");
        out.put("runs", lines.size());
        out.put("machine", machine);
        return out;
    }
}
