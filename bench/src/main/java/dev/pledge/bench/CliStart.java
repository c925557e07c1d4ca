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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of {@code pledge buy --dry-run} as a fresh process, from spawn to exit: the JVM start,
 * picocli, the executor registry, validation, the derived keys and the price lookup against the
 * emulator. The headline figure times {@code ./pledge buy --dry-run ...} itself, launcher script
 * included, in a fresh clone of the repository (its build replaced by a copy of {@code --jar}) after
 * its first use, exactly as a user runs it; a second row times the launcher's layout prepared by
 * this harness, and a third {@code java -jar pledge.jar}.
 */
@Command(name = "cli-start", mixinStandardHelpOptions = true,
        description = "Median wall time of `pledge buy --dry-run` (a new JVM each time) over --n runs.")
final class CliStart extends ScenarioCommand {
    /** What the ./pledge launcher passes for every command but serve (plus its CDS archive, when it has one). */
    static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xlog:cds=off,cds+dynamic=off", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            "-XX:-UsePerfData");

    @Option(names = "--jar", defaultValue = "app/target/pledge.jar", description = "The pledge jar. Default: ${DEFAULT-VALUE}.")
    Path jar;

    @Option(names = "--repo", defaultValue = ".", description = "The git repository whose ./pledge is timed (cloned"
            + " fresh at its HEAD). Default: the current directory.")
    Path repo;

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

        // The launcher's fast path, prepared as ./pledge prepares it on first use (untimed): the jar
        // extracted to a flat layout with Spring Boot's jarmode tools, its signed jars unsigned
        // (cds-prepare), and an AppCDS archive from its cds-training command. Done on a copy, so
        // nothing under app/target is touched or rebuilt.
        Path prepared = Files.createTempDirectory("pledge-bench-cli-");
        context.closeAfterRun(() -> deleteTree(prepared));
        Path extracted = prepared.resolve("pledge-cli");
        List<String> launcher = new ArrayList<>(LAUNCHER_JVM_OPTIONS);
        Path cliJar = jar;
        boolean cds = false;
        if (run(List.of("-Djarmode=tools"), jar, List.of("extract", "--destination", extracted.toString())) == 0) {
            cliJar = extracted.resolve("pledge.jar");
            run(List.of("-XX:TieredStopAtLevel=1"), cliJar,
                    List.of("cds-prepare", extracted.resolve("lib").toString()));
            Path archive = extracted.resolve("pledge.jsa");
            int trained = run(List.of("-XX:ArchiveClassesAtExit=" + archive, "-XX:TieredStopAtLevel=1",
                    "-Xlog:cds=off,cds+dynamic=off"), cliJar, List.of("cds-training"));
            if (trained == 0 && Files.isRegularFile(archive)) {
                launcher.add("-XX:SharedArchiveFile=" + archive);
                cds = true;
            }
        }
        Progress.say("launcher path: %s%s", cliJar, cds ? " with an AppCDS archive" : " (no CDS archive)");

        // ./pledge as users run it: a fresh clone, the jar in place of its build, then one untimed first
        // use (extracts the jars and records the archive at their final path), then timed runs
        Path clone = prepared.resolve("clone");
        runCommand(List.of("git", "clone", "-q", "--no-local", repo.toAbsolutePath().normalize().toString(),
                clone.toString()), Map.of());
        Files.createDirectories(clone.resolve("app/target"));
        Files.copy(jar, clone.resolve("app/target/pledge.jar"));
        List<String> userCommand = new ArrayList<>();
        userCommand.add(clone.resolve("pledge").toString());
        userCommand.addAll(buy);
        if (runCommand(userCommand, Map.of()) != 0) {
            throw new IllegalStateException("the first ./pledge buy --dry-run in the fresh clone failed");
        }
        boolean userCds = classesFromTopArchive(userCommand) > 0;
        Progress.say("./pledge in a fresh clone: start-up archive %s", userCds ? "loaded" : "NOT loaded");

        // one untimed invocation first, so the jar is in the page cache like any second use of the command
        time(launcher, cliJar, buy);
        long[] user = new long[n];
        long[] fast = new long[n];
        long[] plain = new long[n];
        for (int i = 0; i < n; i++) {
            user[i] = timeCommand(userCommand);
            fast[i] = time(launcher, cliJar, buy);
            plain[i] = time(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), jar, buy);
        }
        double median = Stats.median(user);
        Progress.say("pledge buy --dry-run: median %.0f ms as ./pledge (fresh clone), %.0f ms on the harness's"
                + " prepared copy, %.0f ms as java -jar pledge.jar", median, Stats.median(fast), Stats.median(plain));
        return List.of(JsonLine.of(name())
                .put("n", n)
                .put("median_ms", median, 1)
                .put("p90_ms", Stats.percentileMs(user, 90), 1)
                .put("min_ms", Stats.percentileMs(user, 0), 1)
                .put("launcher_cds_loaded", userCds)
                .put("prepared_copy_median_ms", Stats.median(fast), 1)
                .put("launcher_cds", cds)
                .put("boot_jar_median_ms", Stats.median(plain), 1)
                .put("user_command", "./pledge " + String.join(" ", buy).replace(endpoint, "<emulator>"))
                .put("command", "java " + String.join(" ", launcher).replace(prepared.toString(), "<extracted>")
                        + " -jar " + cliJar.toString().replace(prepared.toString(), "<extracted>") + " "
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

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs a command to completion, untimed, output discarded; returns its exit code. */
    private static int runCommand(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** How many classes the command's JVM loaded from the top (dynamic) archive: zero when it was rejected. */
    private static long classesFromTopArchive(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PLEDGE_JAVA_OPTS", "-Xlog:class+load=info");
        Process p = pb.start();
        long count;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).lines()) {
            count = lines.filter(l -> l.contains("shared objects file (top)")).count();
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return count;
    }

    /** Wall time of a whole command (a launcher script included), from spawn to exit. */
    private static long timeCommand(List<String> command) throws Exception {
        File out = File.createTempFile("pledge-bench-cli", ".out");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within 60 s");
            }
            long elapsed = System.nanoTime() - t0;
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " exited with " + p.exitValue() + ": "
                        + Files.readString(out.toPath()));
            }
            return elapsed;
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    /** Runs {@code java <jvmOptions> -jar <jarFile> <args>} to completion, untimed; returns its exit code. */
    private static int run(List<String> jvmOptions, Path jarFile, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jarFile.toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private long time(List<String> jvmOptions, Path jarFile, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jarFile.toString());
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
