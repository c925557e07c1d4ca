package dev.pledge.app.cli;

import dev.pledge.emulator.Emulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code pledge emulator}: the cloud emulator on its own, for {@code pledge buy --endpoint} or a second server. */
@Command(name = "emulator",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        header = "Run the built-in cloud emulator (AWS, Azure and GCP purchase APIs) standalone.",
        descriptionHeading = "%n",
        description = {
                "Serves the purchase, lookup and offering APIs the executors use, with a seeded offering catalog "
                        + "and in-memory state, plus a control API under /__pledge/ (commitments, offerings, faults, "
                        + "requests, reset, latency, health). Point `pledge buy --endpoint` or "
                        + "PLEDGE_CLOUD_ENDPOINT at the printed URL. Ctrl-C stops it; its state is not kept.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pledge emulator --port 4566 &",
                "  export PLEDGE_CLOUD_ENDPOINT=http://127.0.0.1:4566",
                "  curl -s $PLEDGE_CLOUD_ENDPOINT/__pledge/commitments"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "1:could not start (e.g. the port is in use)", ExitCode.HELP_USAGE})
final class EmulatorCommand implements Callable<Integer> {

    /** Off in tests that run the emulator command inside the test JVM, whose signals are not ours to take. */
    static volatile boolean handleSignals = true;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "4566",
            description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "Address to listen on (0.0.0.0 in a container). Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--latency-ms", paramLabel = "<ms>", defaultValue = "0",
            description = "Latency added to every cloud call, in milliseconds. Default: ${DEFAULT-VALUE}.")
    int latencyMs;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port: must be 0-65535, was " + port);
        }
        if (latencyMs < 0) {
            throw new ParameterException(spec.commandLine(), "--latency-ms: must be 0 or more, was " + latencyMs);
        }
        Emulator emulator;
        try {
            emulator = Emulator.builder().port(port).bindAddress(bind).latency(Duration.ofMillis(latencyMs))
                    .build().start();
        } catch (RuntimeException e) {
            throw new CliFailure(ExitCode.INTERNAL, "pledge emulator: could not start on " + bind + ":" + port
                    + ": " + e.getMessage() + (port != 0 ? " (is the port in use? try --port 0)" : ""), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            emulator.stop();
            stopped.countDown();
        };
        if (handleSignals) {
            // Ctrl-C and SIGTERM stop it and the command returns 0; the JVM's own handling would exit 130 / 143
            StopSignals.install("pledge emulator", "stopping", stop);
        }
        Thread hook = new Thread(stop, "pledge-emulator-stop"); // any other way the JVM ends
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Pledge cloud emulator listening on " + emulator.baseUrl() + " (pid "
                + ProcessHandle.current().pid() + ")");
        out.println("  use it:    export PLEDGE_CLOUD_ENDPOINT=" + emulator.baseUrl());
        out.println("  inspect:   curl -s " + emulator.baseUrl() + "/__pledge/commitments");
        out.println("Stop with Ctrl-C.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Stopped from inside the process (tests): stop now instead of at exit.
            emulator.stop();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped it
        }
        out.println("pledge emulator: stopped.");
        out.flush();
        return ExitCode.OK;
    }
}
