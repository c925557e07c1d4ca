package dev.pledge.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of {@code pledge buy --dry-run} as a fresh process, from spawn to exit: the JVM start,
 * picocli, the executor registry, validation, the derived keys and the price lookup against the
 * emulator.
 */
@Command(name = "cli-start", mixinStandardHelpOptions = true,
        description = "Median wall time of `pledge buy --dry-run` (a new JVM each time) over --n runs.")
final class CliStart extends ScenarioCommand {
    /** What the ./pledge launcher passes for every command but serve. */
    static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    @Option(names = "--jar", defaultValue = "app/target/pledge.jar", description = "The pledge jar. Default: ${DEFAULT-VALUE}.")
    Path jar;

    @Option(names = "--n", defaultValue = "10", description = "Timed invocations per run. Default: ${DEFAULT-VALUE}.")
    int n;

    @Mixin
    EmulatorOptions emulatorOptions;

    @Mixin
    ItemOptions itemOptions;

    @Override
    String name() {
        return "cli-start";
    }

    @Override
    boolean needsDatabase() {
        return false;
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar.toAbsolutePath() + " does not exist; build it with "
                    + "`mvn -B -q -pl app package -DskipTests` or pass --jar");
        }
        if (n < 1 || n > 100) {
            throw new IllegalArgumentException("--n must be 1-100");
        }
        String endpoint = context.emulator(emulatorOptions, Duration.ZERO).base().toString();
        List<String> buy = buyArguments(endpoint);

        // one untimed invocation first, so the jar is in the page cache like any second use of the command
        time(LAUNCHER_JVM_OPTIONS, buy);
        long[] launcher = new long[n];
        long[] plain = new long[n];
        for (int i = 0; i < n; i++) {
            launcher[i] = time(LAUNCHER_JVM_OPTIONS, buy);
            plain[i] = time(List.of(), buy);
        }
        double median = Stats.median(launcher);
        Progress.say("pledge buy --dry-run: median %.0f ms with the launcher's JVM options, %.0f ms with plain java -jar",
                median, Stats.median(plain));
        return List.of(JsonLine.of(name())
                .put("n", n)
                .put("median_ms", median, 1)
                .put("p90_ms", Stats.percentileMs(launcher, 90), 1)
                .put("min_ms", Stats.percentileMs(launcher, 0), 1)
                .put("jvm_options", String.join(" ", LAUNCHER_JVM_OPTIONS))
                .put("plain_java_median_ms", Stats.median(plain), 1)
                .put("command", "java " + String.join(" ", LAUNCHER_JVM_OPTIONS) + " -jar " + jar + " "
                        + String.join(" ", buy).replace(endpoint, "<emulator>")));
    }

    private List<String> buyArguments(String endpoint) {
        Seeder.ItemSpec spec = itemOptions.spec();
        String account = switch (spec.type().cloud()) {
            case AWS -> "111122223333";
            case AZURE -> "/subscriptions/00000000-0000-4000-8000-000000000001";
            case GCP -> "bench-project";
        };
        List<String> args = new ArrayList<>(List.of("buy", "--dry-run", "--type", spec.type().slug(), "--account",
                account, "--region", spec.region(), "--offering", spec.offering(), "--term", spec.term()));
        if (spec.payment() != null) {
            args.addAll(List.of("--payment", spec.payment()));
        }
        spec.attributes().forEach((k, v) -> args.addAll(List.of("--attribute", k + "=" + v)));
        args.addAll(List.of("--token", "bench-cli-start", "--endpoint", endpoint, "--output", "json"));
        return args;
    }

    private long time(List<String> jvmOptions, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        File out = File.createTempFile("pledge-bench-cli", ".out");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("pledge buy --dry-run did not finish within 60 s");
            }
            long elapsed = System.nanoTime() - t0;
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pledge buy --dry-run exited with " + p.exitValue() + ": "
                        + Files.readString(out.toPath()));
            }
            return elapsed;
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }
}
