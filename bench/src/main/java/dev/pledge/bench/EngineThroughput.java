package dev.pledge.bench;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.ExecutionService;
import org.springframework.beans.factory.config.BeanPostProcessor;
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
 * Pre-approved executions run end to end by the real engine (claim, write-ahead, purchase against
 * the emulator, record, complete), then db-scheduler's no-op tasks on the same database with the
 * same number of threads, then the database's own commit ceiling.
 */
@Command(name = "engine-throughput", mixinStandardHelpOptions = true,
        description = "Executions/s of the engine against the emulator, commits per execution "
                + "(pg_stat_database.xact_commit), and db-scheduler 16's no-op tasks/s in the same run on the same database.")
final class EngineThroughput extends ScenarioCommand {

    @Option(names = "--executions", defaultValue = "5000", description = "Executions. Default: ${DEFAULT-VALUE}.")
    int executions;

    @Option(names = "--items", defaultValue = "1", description = "Items per execution. Default: ${DEFAULT-VALUE}.")
    int items;

    @Option(names = "--workers", defaultValue = "4",
            description = "pledge.engine.workers, and db-scheduler's threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--accounts", defaultValue = "64",
            description = "Accounts the executions rotate over (purchases of one account and type are serialized). "
                    + "Default: ${DEFAULT-VALUE}.")
    int accounts;

    @Option(names = "--dbscheduler-polling", defaultValue = "LOCK_AND_FETCH",
            description = "LOCK_AND_FETCH (fastest on PostgreSQL) or FETCH (db-scheduler's default). Default: ${DEFAULT-VALUE}.")
    DbSchedulerBaseline.Polling polling;

    @Option(names = "--executor", defaultValue = "cloud",
            description = "cloud: the real executor buys from the emulator over HTTP (the real SDK client); none: "
                    + "the same executor validates and derives keys but makes no cloud call (the engine alone, as "
                    + "comparable with db-scheduler's no-op task as it gets). Default: ${DEFAULT-VALUE}.")
    String executor;

    @Option(names = "--skip-baseline", description = "Measure only the engine.")
    boolean skipBaseline;

    @Option(names = "--profile",
            description = "Also report the statements the engine ran per execution (pg_stat_statements; embedded "
                    + "PostgreSQL only, preloaded for this).")
    boolean profile;

    @Option(names = "--app", paramLabel = "<property=value>",
            description = "An extra Spring property for the app (repeatable), e.g. --app pledge.engine.poll-interval=1s.")
    Map<String, String> appProperties = new LinkedHashMap<>();

    @Mixin
    EmulatorOptions emulatorOptions;

    @Mixin
    ItemOptions itemOptions;

    @Override
    String name() {
        return "engine-throughput";
    }

    @Override
    Map<String, String> serverSettings() {
        return profile ? Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track_utility", "on")
                : Map.of();
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        if (executions < 1 || executions > 1_000_000 || items < 1 || items > 200 || workers < 1 || accounts < 1) {
            throw new IllegalArgumentException("--executions 1-1000000, --items 1-200, --workers >= 1, --accounts >= 1");
        }
        if (!executor.equals("cloud") && !executor.equals("none")) {
            throw new IllegalArgumentException("--executor must be cloud or none, was " + executor);
        }
        BenchDatabase db = context.db();
        String database = context.database();
        EmulatorClient emulator = context.emulator(emulatorOptions, Duration.ZERO);

        Map<String, String> props = AppUnderTest.properties(db, database, emulator.base());
        props.put("pledge.engine.workers", String.valueOf(workers));
        props.putAll(appProperties);
        long commitsBefore;
        long polls;
        int approved;
        CpuMeter.Snapshot cpuBefore;
        CpuMeter.Snapshot cpuAfter;
        List<BeanPostProcessor> postProcessors = executor.equals("none")
                ? List.of(new NoCloudExecutors(itemOptions.type)) : List.of();
        try (AppUnderTest app = AppUnderTest.start(props, postProcessors)) {
            AccountService accountService = app.bean(AccountService.class);
            ExecutionService executionService = app.bean(ExecutionService.class);
            Seeder.ItemSpec spec = itemOptions.spec();
            var accountList = Seeder.accounts(accountService, spec.type(), accounts, 100_000_000_000L);
            UUID template = Seeder.create(executionService, accountList.get(0), spec, items, "bench template")
                    .detail().execution().id();
            try (Connection c = db.connect(database)) {
                if (profile) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                    }
                }
                int rows = Seeder.cloneExecutions(c, template, executions, UUID.randomUUID().toString());
                Progress.say("%d executions with %d item(s) each seeded (%d item rows), over %d accounts", executions,
                        items, rows, accounts);
            }
            // Backends report commit counts when idle for a while (up to 10 s) or at exit: wait them out
            // so that the reading before the run is exact; idle polling after it is the engine's own cost.
            Progress.say("waiting 11 s for PostgreSQL's statistics to settle");
            BenchDatabase.sleep(Duration.ofSeconds(11));
            commitsBefore = db.settledCommits(database, Duration.ofMillis(1000), Duration.ofSeconds(15));
            try (Connection watch = db.connect(database)) {
                if (profile) {
                    try (Statement s = watch.createStatement()) {
                        s.execute("SELECT pg_stat_statements_reset()");
                    }
                }
                CpuMeter cpu = new CpuMeter(watch, "pledge-worker-");
                cpuBefore = cpu.snapshot();
                approved = Seeder.approveAll(watch);
                Progress.say("%d executions approved; the engine runs them", approved);
                CompletionWatch w = new CompletionWatch(watch,
                        "SELECT coalesce(sum(executions), 0) FROM execution_status_counts "
                                + "WHERE status IN ('APPROVED', 'RUNNING')", Duration.ofMinutes(30));
                w.awaitZero();
                cpuAfter = cpu.snapshot();
                polls = w.polls();
            }
        }
        long commitsAfter = db.settledCommits(database, Duration.ofMillis(1000), Duration.ofSeconds(20));
        // not the engine's: the approval statement, the completion polls, and the profile reset
        long commits = commitsAfter - commitsBefore - polls - 1 - (profile ? 1 : 0);

        Map<String, Long> statuses = new LinkedHashMap<>();
        double seconds;
        try (Connection c = db.connect(database); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT status, count(*) FROM executions WHERE description = '"
                    + Seeder.BENCH_DESCRIPTION + "' GROUP BY status ORDER BY status")) {
                while (rs.next()) {
                    statuses.put(rs.getString(1), rs.getLong(2));
                }
            }
            // from the approval's commit to the last execution's completion, by the database's clock
            try (ResultSet rs = s.executeQuery("SELECT extract(epoch FROM max(finished_at) - min(approved_at)) "
                    + "FROM executions WHERE description = '" + Seeder.BENCH_DESCRIPTION + "'")) {
                rs.next();
                seconds = rs.getDouble(1);
            }
        }
        int bought = emulator.commitments().size();
        Map<String, Object> calls = new LinkedHashMap<>();
        long totalCalls = 0;
        for (Map.Entry<String, Long> e : emulator.requestsByOperation().entrySet()) {
            calls.put(e.getKey(), JsonLine.round((double) e.getValue() / executions, 3));
            totalCalls += e.getValue();
        }
        double perSecond = executions / seconds;
        double commitsPerExecution = (double) commits / executions;
        Progress.say("engine: %d executions in %.2f s = %.1f/s, %.2f commits per execution, %d commitments in the "
                + "emulator, statuses %s", executions, seconds, perSecond, commitsPerExecution, bought, statuses);

        JsonLine line = JsonLine.of(name())
                .put("executions", executions)
                .put("items", items)
                .put("workers", workers)
                .put("accounts", accounts)
                .put("type", itemOptions.type.slug())
                .put("executor", executor)
                .put("seconds", seconds, 3)
                .put("executions_per_s", perSecond, 1)
                .put("items_per_s", perSecond * items, 1)
                .put("commits_per_execution", commitsPerExecution, 3)
                .putAll(CpuMeter.perUnit("cpu_ms_per_execution", cpuBefore, cpuAfter, executions))
                .put("succeeded", statuses.getOrDefault("SUCCEEDED", 0L))
                .put("statuses", statuses)
                .put("emulator_commitments", bought)
                .put("cloud_calls_per_execution", JsonLine.round((double) totalCalls / executions, 3))
                .put("cloud_calls", calls);

        if (profile) {
            line.put("profile", StatementProfile.perExecution(db, database, executions));
        }
        if (!skipBaseline) {
            DbSchedulerBaseline.Result r = DbSchedulerBaseline.run(db, database, executions, workers, polling,
                    Duration.ofMinutes(10));
            Progress.say("db-scheduler: %d tasks in %.2f s = %.0f/s, %.2f commits per task", r.tasks(), r.seconds(),
                    r.perSecond(), r.commitsPerTask());
            line.put("dbscheduler_per_s", r.perSecond(), 1)
                    .put("dbscheduler_commits_per_task", r.commitsPerTask(), 3)
                    .put("dbscheduler_polling", r.polling().name())
                    .putAll(CpuMeter.perUnit("dbscheduler_cpu_ms_per_task", r.cpuBefore(), r.cpuAfter(), r.tasks()))
                    .put("ratio", perSecond / r.perSecond(), 3);
            Object ours = line.get("cpu_ms_per_execution_app");
            Object theirs = line.get("dbscheduler_cpu_ms_per_task_app");
            Object oursDb = line.get("cpu_ms_per_execution_db");
            Object theirsDb = line.get("dbscheduler_cpu_ms_per_task_db");
            if (ours instanceof Double a && theirs instanceof Double b && oursDb instanceof Double c
                    && theirsDb instanceof Double d && b + d > 0) {
                line.put("cpu_ratio_ours_to_dbscheduler", (a + c) / (b + d), 2);
            }
        }
        CommitCeiling.Result ceiling = CommitCeiling.measure(db, database, workers, Duration.ofSeconds(3));
        Progress.say("commit ceiling: %.0f single-row commits/s with %d connections", ceiling.perSecond(), workers);
        line.put("pg_commits_per_s", ceiling.perSecond(), 0)
                .put("commit_bound_executions_per_s", ceiling.perSecond() / commitsPerExecution, 0);
        return List.of(line);
    }
}
