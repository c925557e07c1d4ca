package dev.pledge.bench;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.ExecutionService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Two engine processes; the one that claims the execution is killed with SIGKILL while its purchase
 * call is in flight (the emulator holds that call for {@code --purchase-delay}). Measures the time
 * from the kill until the other process has finished the execution as SUCCEEDED, and counts the
 * commitments the emulator holds for it (must be 1).
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "A worker process killed with kill -9 mid-purchase: seconds until another one finishes the "
                + "execution, and the commitment count (must be 1).")
final class Recovery extends ScenarioCommand {

    @Option(names = "--lease", defaultValue = "10s", converter = DurationConverter.class,
            description = "pledge.engine.lease (the heartbeat is a quarter of it). Default: ${DEFAULT-VALUE}.")
    Duration lease;

    @Option(names = "--purchase-delay", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long the emulator holds the response of the first purchase call (it has bought by then); "
                    + "the worker is killed inside that window. Default: ${DEFAULT-VALUE}.")
    Duration purchaseDelay;

    @Option(names = "--bench-jar", description = "This jar, to start worker processes from. Default: the running jar.")
    Path benchJar;

    @Option(names = "--app", paramLabel = "<property=value>",
            description = "An extra Spring property for the workers (repeatable), e.g. --app pledge.engine.lease-sweep-interval=5s.")
    Map<String, String> appProperties = new LinkedHashMap<>();

    @Mixin
    EmulatorOptions emulatorOptions;

    @Mixin
    ItemOptions itemOptions;

    @Override
    String name() {
        return "recovery";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        BenchDatabase db = context.db();
        String database = context.database();
        EmulatorClient emulator = context.emulator(emulatorOptions, Duration.ZERO);
        Path jar = benchJar != null ? benchJar : runningJar();
        Path logs = Files.createTempDirectory("pledge-bench-recovery-");

        Map<String, String> workerProps = AppUnderTest.properties(db, database, emulator.base());
        workerProps.put("pledge.engine.lease", lease.toMillis() + "ms");
        workerProps.put("pledge.engine.heartbeat", Math.max(1, lease.toMillis() / 4) + "ms");
        workerProps.put("pledge.engine.workers", "1");
        workerProps.putAll(appProperties);

        // The schema, an account and the execution come from the app's own services, engine off.
        Map<String, String> setupProps = AppUnderTest.properties(db, database, emulator.base());
        setupProps.put("pledge.engine.enabled", "false");
        try (AppUnderTest setup = AppUnderTest.start(setupProps);
             Workers workers = new Workers(jar, logs, workerProps)) {
            Seeder.ItemSpec spec = itemOptions.spec();
            Account account = Seeder.accounts(setup.bean(AccountService.class), spec.type(), 1, 200_000_000_000L).get(0);
            ExecutionService executions = setup.bean(ExecutionService.class);
            UUID id = Seeder.create(executions, account, spec, 1, "bench recovery").detail().execution().id();

            workers.start(2);
            workers.awaitReady(Duration.ofSeconds(600));
            emulator.delay(spec.type().cloud().slug(), spec.type().slug(), purchaseOperation(spec), purchaseDelay, 1);
            long purchasesBefore = emulator.purchaseRequests(spec.type().slug());
            if (purchasesBefore != 0) {
                throw new IllegalStateException("the emulator has seen purchases before the run");
            }
            executions.approve(id, Seeder.APPROVER);
            Progress.say("execution %s approved; waiting for a worker to start its purchase", id);

            String owner;
            try (Connection c = db.connect(database)) {
                owner = awaitPurchasing(c, id, Duration.ofSeconds(120));
                // the write-ahead is committed; now wait until the purchase call itself has reached the
                // emulator, which commits it and holds the response for --purchase-delay
                awaitPurchaseCall(emulator, spec.type().slug(), Duration.ofSeconds(120));
                Process victim = workers.byClaim(owner).orElseThrow(() ->
                        new IllegalStateException("execution claimed by " + owner + ", not one of the benchmark's workers"));
                long killedAt = System.nanoTime();
                java.time.Instant killedInstant = java.time.Instant.now();
                victim.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no release
                victim.waitFor();
                Progress.say("killed worker pid %d (kill -9) in the middle of its purchase", victim.pid());

                String status = awaitFinished(c, id, lease.multipliedBy(6).plusSeconds(60));
                double seconds = (System.nanoTime() - killedAt) / 1e9;
                Map<String, Object> item = item(c, id);
                java.time.Instant retried = (java.time.Instant) item.get("last_attempt_started");
                double takeover = retried == null ? Double.NaN : Duration.between(killedInstant, retried).toMillis() / 1000.0;
                long commitments = emulator.commitments().stream()
                        .filter(x -> account.externalId().equals(x.account())).count();
                Progress.say("%s %.2f s after the kill, by %s; %d commitment(s) in the emulator", status, seconds,
                        item.get("finished_by"), commitments);
                return List.of(JsonLine.of(name())
                        .put("lease_s", lease.toMillis() / 1000.0, 3)
                        .put("recovery_s", seconds, 3)
                        .put("target_s", 2 * lease.toMillis() / 1000.0, 3)
                        .put("retry_started_after_s", takeover, 3)
                        .put("lease_sweep_interval", appProperties.getOrDefault("pledge.engine.lease-sweep-interval",
                                "default: lease/4 = " + lease.dividedBy(4).toMillis() / 1000.0 + "s"))
                        .put("status", status)
                        .put("commitments", commitments)
                        .put("item_outcome", item.get("outcome"))
                        .put("item_attempts", item.get("attempts"))
                        .put("killed_pid", victim.pid())
                        .put("purchase_delay_ms", purchaseDelay.toMillis())
                        .put("worker_properties", appProperties.isEmpty() ? "defaults + lease/heartbeat" : appProperties));
            }
        } finally {
            Progress.say("worker logs in %s", logs);
        }
    }

    private static String purchaseOperation(Seeder.ItemSpec spec) {
        return switch (spec.type()) {
            case AWS_RDS -> "PurchaseReservedDBInstancesOffering";
            case AWS_ELASTICACHE -> "PurchaseReservedCacheNodesOffering";
            case AWS_MEMORYDB -> "PurchaseReservedNodesOffering";
            case AWS_OPENSEARCH -> "PurchaseReservedInstanceOffering";
            case AWS_EC2 -> "PurchaseReservedInstancesOffering";
            case AWS_REDSHIFT -> "PurchaseReservedNodeOffering";
            case AWS_SAVINGS_PLAN -> "CreateSavingsPlan";
            default -> null; // every call of the type
        };
    }

    private static void awaitPurchaseCall(EmulatorClient emulator, String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (emulator.purchaseRequests(type) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no purchase call reached the emulator within " + timeout.toSeconds() + " s");
            }
            BenchDatabase.sleep(Duration.ofMillis(5));
        }
    }

    /** Waits until the execution's item is PURCHASING (write-ahead committed); returns claimed_by. */
    private static String awaitPurchasing(Connection c, UUID id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement s = c.prepareStatement("SELECT e.claimed_by FROM executions e JOIN items i "
                + "ON i.execution_id = e.id WHERE e.id = ? AND e.status = 'RUNNING' AND i.status = 'PURCHASING'")) {
            s.setObject(1, id);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
                BenchDatabase.sleep(Duration.ofMillis(5));
            }
        }
        throw new IllegalStateException("no worker started the purchase within " + timeout.toSeconds() + " s");
    }

    private static String awaitFinished(Connection c, UUID id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement s = c.prepareStatement("SELECT status FROM executions WHERE id = ?")) {
            s.setObject(1, id);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    String status = rs.getString(1);
                    if (!status.equals("RUNNING") && !status.equals("APPROVED")) {
                        return status;
                    }
                }
                BenchDatabase.sleep(Duration.ofMillis(20));
            }
        }
        throw new IllegalStateException("execution " + id + " not finished within " + timeout.toSeconds() + " s");
    }

    private static Map<String, Object> item(Connection c, UUID id) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT i.outcome, i.attempts, "
                + "(SELECT worker FROM item_attempts a WHERE a.execution_id = i.execution_id ORDER BY attempt DESC LIMIT 1), "
                + "(SELECT started_at FROM item_attempts a WHERE a.execution_id = i.execution_id ORDER BY attempt DESC LIMIT 1) "
                + "FROM items i WHERE i.execution_id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                m.put("outcome", rs.getString(1));
                m.put("attempts", rs.getInt(2));
                m.put("finished_by", rs.getString(3));
                java.sql.Timestamp t = rs.getTimestamp(4);
                m.put("last_attempt_started", t == null ? null : t.toInstant());
            }
        }
        return m;
    }

    static Path runningJar() {
        String cp = System.getProperty("java.class.path");
        if (cp != null && cp.endsWith(".jar") && !cp.contains(File.pathSeparator)) {
            return Path.of(cp);
        }
        throw new IllegalStateException("not started with java -jar; pass --bench-jar bench/target/pledge-bench.jar");
    }

    /** The worker JVMs of one run. Only these processes are ever killed, by their own handle. */
    static final class Workers implements AutoCloseable {
        private final Path jar;
        private final Path logs;
        private final Map<String, String> properties;
        private final List<Process> processes = new ArrayList<>();
        private final List<Path> logFiles = new ArrayList<>();

        Workers(Path jar, Path logs, Map<String, String> properties) {
            this.jar = jar;
            this.logs = logs;
            this.properties = properties;
        }

        void start(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m", "-jar", jar.toString(), "worker"));
                properties.forEach((k, v) -> command.add("--app=" + k + "=" + v));
                Path log = logs.resolve("worker-" + i + ".log");
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
                processes.add(p);
                logFiles.add(log);
                Progress.say("worker %d started, pid %d, log %s", i, p.pid(), log);
            }
        }

        void awaitReady(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < processes.size(); i++) {
                while (!Files.readString(logFiles.get(i)).contains(WorkerProcess.READY)) {
                    if (!processes.get(i).isAlive()) {
                        throw new IllegalStateException("worker " + i + " exited; see " + logFiles.get(i));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("worker " + i + " not ready in time; see " + logFiles.get(i));
                    }
                    BenchDatabase.sleep(Duration.ofMillis(100));
                }
            }
            Progress.say("%d workers ready", processes.size());
        }

        /** The engine names its workers {@code <pid>@<host>-<random>/w<n>}. */
        Optional<Process> byClaim(String claimedBy) {
            int at = claimedBy == null ? -1 : claimedBy.indexOf('@');
            if (at <= 0) {
                return Optional.empty();
            }
            long pid = Long.parseLong(claimedBy.substring(0, at));
            return processes.stream().filter(p -> p.pid() == pid).findFirst();
        }

        @Override
        public void close() {
            for (Process p : processes) {
                if (p.isAlive()) {
                    try {
                        p.getOutputStream().close(); // the worker stops when its stdin closes
                    } catch (IOException ignored) {
                        // it is being stopped anyway
                    }
                }
            }
            for (Process p : processes) {
                try {
                    if (!p.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }
    }
}
