package dev.pledge.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;

/**
 * {@code java -jar bench/target/pledge-bench.jar <scenario> [options]}: one JSON line per result
 * on stdout, progress on stderr.
 */
@Command(name = "pledge-bench",
        mixinStandardHelpOptions = true,
        description = {
                "Measures Pledge on a real PostgreSQL (embedded, or PLEDGE_BENCH_DATABASE_URL with "
                        + "PLEDGE_BENCH_DATABASE_USER / PLEDGE_BENCH_DATABASE_PASSWORD) and the in-process "
                        + "cloud emulator. Prints one JSON line per result on stdout (with the machine it ran "
                        + "on) and progress on stderr. --runs N repeats a scenario and adds a line with the "
                        + "medians.", ""},
        subcommands = {
                EngineThroughput.class,
                ApprovalLatency.class,
                SummaryScale.class,
                Recovery.class,
                ApiThroughput.class,
                CliStart.class,
                RecommendationsRefresh.class,
                DbSchedulerScenario.class,
                CommitCeilingScenario.class,
                WorkerProcess.class,
                CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
    private static PrintStream results = System.out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a scenario is required");
    }

    /** Writes one result line to the real stdout. */
    static synchronized void print(JsonLine line) {
        results.println(line);
        results.flush();
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        // stdout is for results only: anything else that prints there (a banner, a library) goes to stderr
        results = System.out;
        System.setOut(System.err);
        int exit = new CommandLine(new BenchMain()).execute(args);
        System.exit(exit);
    }
}
