package dev.pledge.bench;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.ExecutionQuery;
import dev.pledge.app.execution.ExecutionService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A long history in the executions table, then the dashboard's two reads, one client at a time:
 * the summary (counts per status) and the first page of the newest-first list.
 */
@Command(name = "summary-scale", mixinStandardHelpOptions = true,
        description = "Summary endpoint and first list page with --rows executions in the table: p50/p99 each.")
final class SummaryScale extends ScenarioCommand {

    @Option(names = "--rows", defaultValue = "1000000", description = "Executions in the table. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--requests", defaultValue = "1000", description = "Timed requests per endpoint. Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--warmup", defaultValue = "200", description = "Untimed requests per endpoint first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--page-size", defaultValue = "50", description = "List page size. Default: ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--via", defaultValue = "http",
            description = "http (GET /api/v1/purchases/summary and /api/v1/purchases) or service (ExecutionService in "
                    + "the same JVM). Default: ${DEFAULT-VALUE}.")
    String via;

    @Mixin
    EmulatorOptions emulatorOptions;

    @Mixin
    ItemOptions itemOptions;

    @Override
    String name() {
        return "summary-scale";
    }

    /** The history is loaded by the first run; later runs restart the app and measure the same table. */
    @Override
    boolean reuseDatabaseAcrossRuns() {
        return true;
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        if (rows < 1 || rows > 50_000_000 || requests < 1 || requests > 1_000_000 || warmup < 0) {
            throw new IllegalArgumentException("--rows 1-50000000, --requests 1-1000000, --warmup >= 0");
        }
        boolean http = switch (via) {
            case "http" -> true;
            case "service" -> false;
            default -> throw new IllegalArgumentException("--via must be http or service");
        };
        BenchDatabase db = context.db();
        String database = context.database();
        EmulatorClient emulator = context.emulator(emulatorOptions, Duration.ZERO);
        Map<String, String> props = AppUnderTest.properties(db, database, emulator.base());
        // reads only: no workers, and no expiry sweep changing rows under the measurement
        props.put("pledge.engine.enabled", "false");
        try (AppUnderTest app = AppUnderTest.start(props)) {
            long loadStart = System.nanoTime();
            if (context.run() == 1) {
                Seeder.ItemSpec spec = itemOptions.spec();
                Account account = Seeder.accounts(app.bean(AccountService.class), spec.type(), 1, 400_000_000_000L).get(0);
                UUID template = Seeder.create(app.bean(ExecutionService.class), account, spec, 1, "bench template")
                        .detail().execution().id();
                String salt = UUID.randomUUID().toString();
                try (Connection c = db.connect(database); Statement s = c.createStatement()) {
                    long chunk = 100_000;
                    for (long from = 1; from <= rows - 1; from += chunk) {
                        long to = Math.min(rows - 1, from + chunk - 1);
                        Seeder.history(c, template, from, to, salt);
                        Progress.say("  %d of %d executions loaded", to + 1, rows);
                    }
                    // what autovacuum would have done by now on a live system: statistics and the visibility map
                    s.execute("VACUUM ANALYZE executions");
                    s.execute("VACUUM ANALYZE items");
                    s.execute("VACUUM ANALYZE execution_status_count_slots");
                }
            }
            ExecutionService executions = app.bean(ExecutionService.class);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long count = countRows(db, database);
            Progress.say("%d executions in the table (loaded in %.0f s by this run); measuring %s", count, loadSeconds, via);

            ApiClient api = http ? ApiClient.withBenchKeys(app) : null;
            Runnable summary = http ? api::summary : executions::summary;
            Runnable list = http ? () -> api.firstPage(pageSize) : () -> executions.list(ExecutionQuery.firstPage(pageSize));
            long[] summaryNanos = measure(summary, warmup, requests);
            long[] listNanos = measure(list, warmup, requests);
            Progress.say("summary p50 %.2f ms p99 %.2f ms; first page p50 %.2f ms p99 %.2f ms",
                    Stats.percentileMs(summaryNanos, 50), Stats.percentileMs(summaryNanos, 99),
                    Stats.percentileMs(listNanos, 50), Stats.percentileMs(listNanos, 99));
            JsonLine line = JsonLine.of(name())
                    .put("rows", count)
                    .put("via", via)
                    .put("requests", requests)
                    .put("page_size", pageSize)
                    .put("summary_p50_ms", Stats.percentileMs(summaryNanos, 50), 3)
                    .put("summary_p99_ms", Stats.percentileMs(summaryNanos, 99), 3)
                    .put("list_p50_ms", Stats.percentileMs(listNanos, 50), 3)
                    .put("list_p99_ms", Stats.percentileMs(listNanos, 99), 3)
                    .put("table_sizes", tableSizes(db, database));
            if (context.run() == 1) {
                line.put("load_s", loadSeconds, 1);
            }
            return List.of(line);
        }
    }

    private static long[] measure(Runnable call, int warmup, int requests) {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    private static long countRows(BenchDatabase db, String database) throws Exception {
        try (Connection c = db.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM executions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Object> tableSizes(BenchDatabase db, String database) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = db.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('executions')), "
                     + "pg_size_pretty(pg_total_relation_size('items'))")) {
            rs.next();
            m.put("executions", rs.getString(1));
            m.put("items", rs.getString(2));
        }
        return m;
    }
}
