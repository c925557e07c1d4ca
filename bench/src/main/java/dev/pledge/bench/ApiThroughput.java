package dev.pledge.bench;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.ExecutionService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code --clients} threads approve distinct pending executions over HTTP as fast as the server
 * answers, with the engine running (so approved work is bought meanwhile, as in production).
 */
@Command(name = "api-throughput", mixinStandardHelpOptions = true,
        description = "Approvals per second over HTTP with --clients concurrent clients, and the approve call's p99.")
final class ApiThroughput extends ScenarioCommand {

    @Option(names = "--clients", defaultValue = "16", description = "Concurrent HTTP clients. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--approvals", defaultValue = "2000", description = "Approvals in total. Default: ${DEFAULT-VALUE}.")
    int approvals;

    @Option(names = "--warmup", defaultValue = "200", description = "Untimed approvals first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--engine", defaultValue = "on",
            description = "on: workers buy what is approved meanwhile (as in production); off: API and database only. "
                    + "Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--accounts", defaultValue = "64", description = "Accounts the executions rotate over. Default: ${DEFAULT-VALUE}.")
    int accounts;

    @Option(names = "--app", paramLabel = "<property=value>", description = "An extra Spring property (repeatable).")
    Map<String, String> appProperties = new LinkedHashMap<>();

    @Mixin
    EmulatorOptions emulatorOptions;

    @Mixin
    ItemOptions itemOptions;

    @Override
    String name() {
        return "api-throughput";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        if (clients < 1 || clients > 256 || approvals < clients || warmup < 0) {
            throw new IllegalArgumentException("--clients 1-256, --approvals >= clients, --warmup >= 0");
        }
        BenchDatabase db = context.db();
        String database = context.database();
        EmulatorClient emulator = context.emulator(emulatorOptions, Duration.ZERO);
        Map<String, String> props = AppUnderTest.properties(db, database, emulator.base());
        props.put("pledge.engine.enabled", String.valueOf(engine.equals("on")));
        props.putAll(appProperties);
        try (AppUnderTest app = AppUnderTest.start(props)) {
            Seeder.ItemSpec spec = itemOptions.spec();
            var accountList = Seeder.accounts(app.bean(AccountService.class), spec.type(), accounts, 500_000_000_000L);
            UUID template = Seeder.create(app.bean(ExecutionService.class), accountList.get(0), spec, 1,
                    "bench template").detail().execution().id();
            List<UUID> ids = new ArrayList<>();
            try (Connection c = db.connect(database)) {
                Seeder.cloneExecutions(c, template, warmup + approvals, UUID.randomUUID().toString());
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM executions WHERE description = ? "
                        + "AND status = 'PENDING_APPROVAL' ORDER BY id")) {
                    s.setString(1, Seeder.BENCH_DESCRIPTION);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getObject(1, UUID.class));
                        }
                    }
                }
            }
            ApiClient api = ApiClient.withBenchKeys(app);
            run(api, ids.subList(0, warmup));
            Progress.say("%d warm-up approvals done; measuring %d with %d clients", warmup, approvals, clients);
            long t0 = System.nanoTime();
            long[] nanos = run(api, ids.subList(warmup, warmup + approvals));
            double seconds = (System.nanoTime() - t0) / 1e9;
            double perSecond = approvals / seconds;
            Progress.say("%d approvals in %.2f s = %.0f/s; p50 %.1f ms, p99 %.1f ms", approvals, seconds, perSecond,
                    Stats.percentileMs(nanos, 50), Stats.percentileMs(nanos, 99));
            return List.of(JsonLine.of(name())
                    .put("clients", clients)
                    .put("approvals", approvals)
                    .put("engine", engine)
                    .put("seconds", seconds, 3)
                    .put("approvals_per_s", perSecond, 1)
                    .put("p50_ms", Stats.percentileMs(nanos, 50), 2)
                    .put("p99_ms", Stats.percentileMs(nanos, 99), 2)
                    .put("max_ms", Stats.percentileMs(nanos, 100), 2));
        }
    }

    /** Approves every id, {@code clients} at a time; returns each call's duration. */
    private long[] run(ApiClient api, List<UUID> ids) throws Exception {
        long[] nanos = new long[ids.size()];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < ids.size(); i += clients) {
                        long start = System.nanoTime();
                        api.approve(ids.get(i));
                        nanos[i] = System.nanoTime() - start;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return nanos;
    }
}
