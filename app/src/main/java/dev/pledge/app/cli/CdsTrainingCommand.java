package dev.pledge.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hidden: the training run the {@code ./pledge} launcher records a class-data-sharing archive from
 * ({@code -XX:ArchiveClassesAtExit}), so that later short commands start with their classes
 * already parsed. It runs dry runs of one type per cloud against the cloud emulator, started as a
 * separate process on a free loopback port (so that the emulator's own classes stay out of the
 * archive) and stopped at the end: the executors and their clients are built and the price
 * lookups' responses parsed, as in a real dry run. Nothing is bought. If the emulator cannot be
 * started, the dry runs go to a closed local port instead (the lookups then fail, nothing is sent
 * anywhere, and the archive lacks the response-parsing classes).
 *
 * <p>Azure's classes are archived only if its jars are unsigned ({@link CdsPrepareCommand} does
 * that to the launcher's extracted copy): CDS skips classes from signed jars, and the JDK 17
 * archiver crashes on lambda proxies of such skipped classes (SIGSEGV in
 * SystemDictionaryShared::adjust_lambda_proxy_class_dictionary). So the Azure dry run is left out
 * while any Azure jar on the class path is still signed.
 */
@Command(name = "cds-training", hidden = true, description = "Internal: warm-up run for the launcher's CDS archive.")
final class CdsTrainingCommand implements Callable<Integer> {
    private static final String NOWHERE = "http://127.0.0.1:9";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final long EMULATOR_START_SECONDS = 120;

    @ParentCommand
    PledgeCommand root;

    @Override
    public Integer call() {
        boolean azure = !CdsPrepareCommand.signed("com/azure/core/http/HttpClient.class");
        Process emulator = startEmulator();
        // an interrupted training (Ctrl-C during the launcher's first run) stops the emulator too
        Thread stopOnExit = emulator == null ? null : new Thread(emulator::destroy, "pledge-training-emulator-stop");
        if (stopOnExit != null) {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }
        try {
            String endpoint = emulator == null ? NOWHERE : endpointOf(emulator);
            List<String[]> runs = new ArrayList<>();
            runs.add(new String[]{"buy", "--dry-run", "--type", "aws-rds", "--account", "111122223333", "--region",
                    "us-east-1", "--offering", "db.r6g.large", "--term", "1y", "--payment", "no-upfront",
                    "--endpoint", endpoint});
            runs.add(new String[]{"buy", "--dry-run", "--type", "gcp-compute", "--account", "pledge-demo-project",
                    "--region", "europe-west1", "--offering", "GENERAL_PURPOSE_N2", "--term", "1y", "--vcpus", "4",
                    "--memory-mb", "16384", "--token", "training-run", "--output", "json", "--endpoint", endpoint});
            if (azure) {
                runs.add(new String[]{"buy", "--dry-run", "--type", "azure-reservation", "--account",
                        "/subscriptions/00000000-0000-4000-8000-000000000001", "--region", "westeurope",
                        "--offering", "Standard_D2s_v3", "--term", "1y", "--payment", "monthly", "--token",
                        "training-run", "--endpoint", endpoint});
            }
            runs.add(new String[]{"buy", "--type", "nope"});
            runs.add(new String[]{"--help"});
            for (String[] run : runs) {
                CommandLine cl = PledgeCommand.commandLine(root.environment(), run);
                cl.setOut(new PrintWriter(new StringWriter()));
                cl.setErr(new PrintWriter(new StringWriter()));
                cl.execute(run);
            }
        } finally {
            if (emulator != null) {
                stop(emulator);
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway; the emulator is stopped already
                }
            }
        }
        return ExitCode.OK;
    }

    /** {@code pledge emulator --port 0} as a child process of this JVM, or null if it cannot be started. */
    private static Process startEmulator() {
        String java = ProcessHandle.current().info().command().orElse(null);
        String classPath = System.getProperty("java.class.path");
        if (java == null || classPath == null || classPath.isEmpty()) {
            return null;
        }
        List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath,
                PledgeCommand.class.getName(), "emulator", "--port", "0", "--bind", "127.0.0.1");
        try {
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;
        }
    }

    /** The URL the emulator prints once it listens; {@link #NOWHERE} if it does not within the time limit. */
    private static String endpointOf(Process emulator) {
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            } catch (IOException e) {
                // the emulator went away: train without it
            }
            return NOWHERE;
        });
        try {
            return url.get(EMULATOR_START_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            return NOWHERE;
        }
    }

    private static void stop(Process emulator) {
        emulator.destroy();
        try {
            if (!emulator.waitFor(20, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
                emulator.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            emulator.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
