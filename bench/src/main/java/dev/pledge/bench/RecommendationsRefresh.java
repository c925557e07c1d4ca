package dev.pledge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.common.model.CommitmentType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One refresh of inventory and recommendations ({@code POST /api/v1/recommendations/refresh}, as an approver
 * runs it) over {@code --accounts} accounts, spread over the three clouds in turn, each with every type its
 * cloud's sources cover, against the emulator with a latency on every cloud call (50 ms by default). Each
 * account has steady usage, so every recommendation source has something to answer. Measures the wall time, the
 * cloud calls the emulator received, and the peak heap of this JVM (app and emulator), and sets the wall time
 * against the ideal of {@code calls x latency / concurrency}.
 */
@Command(name = "recommendations-refresh", mixinStandardHelpOptions = true,
        description = "One insight refresh over N accounts x all types with latency per cloud call: wall time, "
                + "calls, peak heap, and the ratio to calls x latency / concurrency.")
final class RecommendationsRefresh extends ScenarioCommand {
    static final Duration DEFAULT_LATENCY = Duration.ofMillis(50);

    @Option(names = "--accounts", defaultValue = "200", paramLabel = "<n>",
            description = "Accounts, spread over AWS, Azure and GCP in turn (1-5000). Default: ${DEFAULT-VALUE}.")
    int accounts;

    @Option(names = "--concurrency", defaultValue = "8", paramLabel = "<n>",
            description = "pledge.insights.concurrency: cloud calls in flight at most (1-64). "
                    + "Default: ${DEFAULT-VALUE}, the app's default.")
    int concurrency;

    @Option(names = "--refreshes", defaultValue = "1", paramLabel = "<n>",
            description = "Refreshes in a row in the same app (1-5). The figures are the first's (what a fresh app "
                    + "does: every SDK client built, nothing compiled yet); later ones are reported as wall_again_s. "
                    + "Default: ${DEFAULT-VALUE}.")
    int refreshes;

    @Mixin
    EmulatorOptions emulatorOptions;

    @Override
    String name() {
        return "recommendations-refresh";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        if (accounts < 1 || accounts > 5000 || concurrency < 1 || concurrency > 64 || refreshes < 1 || refreshes > 5) {
            throw new IllegalArgumentException("--accounts 1-5000, --concurrency 1-64, --refreshes 1-5");
        }
        EmulatorClient emulator = context.emulator(emulatorOptions, DEFAULT_LATENCY);
        long latencyMs = emulatorOptions.latencyMs >= 0 ? emulatorOptions.latencyMs : DEFAULT_LATENCY.toMillis();
        Map<String, String> props = AppUnderTest.properties(context.db(), context.database(), emulator.base());
        props.put("pledge.engine.enabled", "false");
        props.put("pledge.insights.concurrency", Integer.toString(concurrency));
        try (AppUnderTest app = AppUnderTest.start(props)) {
            int[] perCloud = new int[3];
            for (int i = 0; i < accounts; i++) {
                perCloud[i % 3]++;
            }
            AccountService service = app.bean(AccountService.class);
            List<Account> all = new ArrayList<>();
            all.addAll(Seeder.accounts(service, CommitmentType.AWS_RDS, perCloud[0], 500_000_000_000L));
            all.addAll(Seeder.accounts(service, CommitmentType.AZURE_RESERVATION, perCloud[1], 500_000_000_000L));
            all.addAll(Seeder.accounts(service, CommitmentType.GCP_COMPUTE, perCloud[2], 500_000_000_000L));
            emulator.putUsage(usage(all));
            Progress.say("%d accounts (aws %d, azure %d, gcp %d) with usage; refreshing at concurrency %d, "
                    + "%d ms per cloud call", all.size(), perCloud[0], perCloud[1], perCloud[2], concurrency, latencyMs);
            ApiClient api = ApiClient.withBenchKeys(app);
            emulator.clearRequestCounts();
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);

            long t0 = System.nanoTime();
            JsonNode summary = api.refreshInsights(Duration.ofHours(1));
            double wallS = (System.nanoTime() - t0) / 1e9;

            long peakHeap = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            long calls = emulator.requestsByOperation().values().stream().mapToLong(Long::longValue).sum();
            JsonNode inFlight = emulator.callsInFlight();
            java.util.Map<String, Long> phases = app.bean(dev.pledge.app.insight.InsightRefresher.class).lastTimings();
            Progress.say("worker time per cloud and phase (ms): %s", phases);
            List<Double> again = new ArrayList<>();
            for (int i = 1; i < refreshes; i++) {
                emulator.clearRequestCounts();
                long t1 = System.nanoTime();
                api.refreshInsights(Duration.ofHours(1));
                again.add(Math.round((System.nanoTime() - t1) / 1e7) / 100.0);
                Progress.say("refresh %d: %.2f s, calls in flight: %s, worker time (ms): %s", i + 1,
                        again.get(again.size() - 1), emulator.callsInFlight(),
                        app.bean(dev.pledge.app.insight.InsightRefresher.class).lastTimings());
            }
            double idealS = calls * latencyMs / 1000.0 / concurrency;
            Progress.say("refreshed %d of %d sources (%d failed) in %.1f s: %d cloud calls, ideal %.1f s, ratio %.2f, "
                            + "peak heap %d MB, calls in flight at the emulator: %s", summary.path("refreshed").asInt(),
                    summary.path("sources").asInt(), summary.path("failed").asInt(), wallS, calls, idealS,
                    wallS / idealS, peakHeap >> 20, inFlight);
            JsonLine line = JsonLine.of(name())
                    .put("accounts", all.size())
                    .put("accounts_aws", perCloud[0])
                    .put("accounts_azure", perCloud[1])
                    .put("accounts_gcp", perCloud[2])
                    .put("concurrency", concurrency)
                    .put("latency_ms", latencyMs)
                    .put("sources", summary.path("sources").asInt())
                    .put("failed", summary.path("failed").asInt())
                    .put("recommendations", summary.path("recommendations").asInt())
                    .put("cloud_calls", calls)
                    .put("wall_s", wallS, 2)
                    .put("ideal_s", idealS, 2)
                    .put("ratio_to_ideal", wallS / idealS, 2)
                    .put("peak_heap_mb", peakHeap / (1024.0 * 1024.0), 1)
                    .put("in_flight_peak", inFlight.path("peak").asInt())
                    .put("in_flight_mean", inFlight.path("mean").asDouble(), 2)
                    .put("worker_ms", phases);
            if (!again.isEmpty()) {
                line.put("wall_again_s", again);
            }
            return List.of(line);
        }
    }

    /** Steady usage per account: RDS instances (AWS), VMs (Azure, under its subscription scope), vCPUs (GCP). */
    private static String usage(List<Account> accounts) {
        StringJoiner lines = new StringJoiner(",", "[", "]");
        for (Account a : accounts) {
            String line = switch (a.cloud()) {
                case AWS -> line("aws", "aws-rds", a.externalId(), "us-east-1", "db.r6g.large", 2,
                        ",\"attributes\":{\"productDescription\":\"postgresql\"}");
                case AZURE -> line("azure", "azure-reservation", a.externalId().toLowerCase(Locale.ROOT),
                        "northeurope", "Standard_D4s_v3", 3, "");
                case GCP -> line("gcp", "gcp-compute", a.externalId(), "europe-west1", "GENERAL_PURPOSE_N2", 16, "");
            };
            lines.add(line);
        }
        return lines.toString();
    }

    private static String line(String cloud, String type, String account, String region, String product, int units,
                               String extra) {
        return "{\"cloud\":\"" + cloud + "\",\"type\":\"" + type + "\",\"account\":\"" + account + "\",\"region\":\""
                + region + "\",\"product\":\"" + product + "\",\"units\":\"" + units + "\"" + extra + "}";
    }
}
