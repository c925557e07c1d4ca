package dev.pledge.bench;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.TransitionResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One execution at a time: created, then approved; the latency is from the moment the approve
 * call has returned to the moment the emulator recorded the purchase (its {@code createdAt}, same
 * JVM and clock). Idle engine, so this is the wake-up path (LISTEN/NOTIFY), not the poll.
 */
@Command(name = "approval-latency", mixinStandardHelpOptions = true,
        description = "From the approve call's response to the emulator receiving the purchase: p50/p95/p99.")
final class ApprovalLatency extends ScenarioCommand {

    @Option(names = "--n", defaultValue = "500", description = "Approvals measured. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--warmup", defaultValue = "20", description = "Approvals before measuring. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--via", defaultValue = "http",
            description = "http (POST /api/v1/purchases/{id}/approve with an API key) or service "
                    + "(ExecutionService.approve in the same JVM). Default: ${DEFAULT-VALUE}.")
    String via;

    @Option(names = "--app", paramLabel = "<property=value>", description = "An extra Spring property (repeatable).")
    Map<String, String> appProperties = new LinkedHashMap<>();

    @Mixin
    EmulatorOptions emulatorOptions;

    @Mixin
    ItemOptions itemOptions;

    @Override
    String name() {
        return "approval-latency";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        if (n < 1 || n > 100_000 || warmup < 0) {
            throw new IllegalArgumentException("--n must be 1-100000, --warmup >= 0");
        }
        boolean http = switch (via) {
            case "http" -> true;
            case "service" -> false;
            default -> throw new IllegalArgumentException("--via must be http or service");
        };
        BenchDatabase db = context.db();
        EmulatorClient emulator = context.emulator(emulatorOptions, Duration.ZERO);
        Map<String, String> props = AppUnderTest.properties(db, context.database(), emulator.base());
        props.putAll(appProperties);
        try (AppUnderTest app = AppUnderTest.start(props);
             Connection c = db.connect(context.database())) {
            Seeder.ItemSpec spec = itemOptions.spec();
            Account account = Seeder.accounts(app.bean(AccountService.class), spec.type(), 1, 300_000_000_000L).get(0);
            ExecutionService executions = app.bean(ExecutionService.class);
            ApiClient api = http ? ApiClient.withBenchKeys(app) : null;

            long[] fromResponse = new long[n];
            long[] fromRequest = new long[n];
            for (int i = -warmup; i < n; i++) {
                UUID id = Seeder.create(executions, account, spec, 1, "bench latency").detail().execution().id();
                Instant sent = Instant.now();
                if (http) {
                    api.approve(id);
                } else {
                    TransitionResult r = executions.approve(id, Seeder.APPROVER);
                    if (!(r instanceof TransitionResult.Moved)) {
                        throw new IllegalStateException("approve of " + id + " did not move it: " + r);
                    }
                }
                Instant answered = Instant.now();
                String commitmentId = awaitCommitment(c, id, Duration.ofSeconds(60));
                if (i < 0) {
                    continue;
                }
                Instant received = purchaseRecorded(emulator, commitmentId);
                fromResponse[i] = Duration.between(answered, received).toNanos();
                fromRequest[i] = Duration.between(sent, received).toNanos();
                if ((i + 1) % 100 == 0) {
                    Progress.say("  %d of %d", i + 1, n);
                }
            }
            int negative = 0;
            for (long v : fromResponse) {
                negative += v < 0 ? 1 : 0;
            }
            Progress.say("approval to purchase: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%s)",
                    Stats.percentileMs(fromResponse, 50), Stats.percentileMs(fromResponse, 95),
                    Stats.percentileMs(fromResponse, 99), via);
            return List.of(JsonLine.of(name())
                    .put("n", n)
                    .put("via", via)
                    .put("type", spec.type().slug())
                    .put("p50_ms", Stats.percentileMs(fromResponse, 50), 2)
                    .put("p95_ms", Stats.percentileMs(fromResponse, 95), 2)
                    .put("p99_ms", Stats.percentileMs(fromResponse, 99), 2)
                    .put("max_ms", Stats.percentileMs(fromResponse, 100), 2)
                    .put("from_request_p50_ms", Stats.percentileMs(fromRequest, 50), 2)
                    .put("from_request_p99_ms", Stats.percentileMs(fromRequest, 99), 2)
                    .put("purchase_before_response", negative));
        }
    }

    /** Waits until the execution's only item is BOUGHT; returns the emulator's commitment id. */
    private static String awaitCommitment(Connection c, UUID id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT status, commitment_id, error FROM items WHERE execution_id = ? AND position = 0")) {
            s.setObject(1, id);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    String status = rs.getString(1);
                    if (status.equals("BOUGHT")) {
                        return rs.getString(2);
                    }
                    if (status.equals("FAILED")) {
                        throw new IllegalStateException("the purchase of execution " + id + " failed: " + rs.getString(3));
                    }
                }
                Thread.sleep(0, 200_000);
            }
        }
        throw new IllegalStateException("execution " + id + " not bought within " + timeout.toSeconds() + " s");
    }

    private final Map<String, Instant> recorded = new HashMap<>();

    private Instant purchaseRecorded(EmulatorClient emulator, String commitmentId) {
        Instant at = recorded.get(commitmentId);
        if (at == null) {
            for (EmulatorClient.Commitment x : emulator.commitments()) {
                recorded.put(x.id(), x.createdAt());
            }
            at = recorded.get(commitmentId);
        }
        if (at == null) {
            throw new IllegalStateException("the emulator holds no commitment " + commitmentId);
        }
        return at;
    }
}
