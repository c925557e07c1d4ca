package dev.pledge.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

/**
 * Hidden: the training run the {@code ./pledge} launcher records a class-data-sharing archive from
 * ({@code -XX:ArchiveClassesAtExit}), so that later short commands start with their classes
 * already parsed. It runs dry runs against a closed local port: the executors and their clients
 * are built, nothing can be sent anywhere. Azure is left out: dumping its classes crashes the
 * JDK 17 archiver (SIGSEGV in SystemDictionaryShared::adjust_lambda_proxy_class_dictionary), so
 * Azure commands load those classes the ordinary way.
 */
@Command(name = "cds-training", hidden = true, description = "Internal: warm-up run for the launcher's CDS archive.")
final class CdsTrainingCommand implements Callable<Integer> {
    private static final String NOWHERE = "http://127.0.0.1:9";

    @ParentCommand
    PledgeCommand root;

    @Override
    public Integer call() {
        String[][] runs = {
                {"buy", "--dry-run", "--type", "aws-rds", "--account", "111122223333", "--region", "us-east-1",
                        "--offering", "db.r6g.large", "--term", "1y", "--payment", "no-upfront"},
                {"buy", "--dry-run", "--type", "gcp-compute", "--account", "pledge-demo-project", "--region",
                        "europe-west1", "--offering", "GENERAL_PURPOSE_N2", "--term", "1y", "--vcpus", "4",
                        "--memory-mb", "16384", "--token", "training-run", "--output", "json"},
                {"buy", "--type", "nope"},
                {"--help"},
        };
        for (String[] run : runs) {
            CommandLine cl = PledgeCommand.commandLine(root.environment());
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(new StringWriter()));
            String[] args = run;
            if ("buy".equals(run[0]) && run.length > 3) {
                args = java.util.Arrays.copyOf(run, run.length + 2);
                args[run.length] = "--endpoint";
                args[run.length + 1] = NOWHERE;
            }
            cl.execute(args);
        }
        return ExitCode.OK;
    }
}
