package dev.pledge.app.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The sequence explorer's door to the real {@code pledge} command line, in-process: built as
 * {@code PledgeCommand.main} builds it (same entry point, same subcommands), with the given
 * environment variables, no terminal and the system clock; what it printed is kept. Lives in the
 * CLI's package because {@code PledgeCommand.commandLine} is package-private.
 */
public final class ExplorerCli {

    /** One finished run: its exit code and what it printed. */
    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + " | out: " + out.strip().replace('\n', ' ') + " | err: "
                    + err.strip().replace('\n', ' ');
        }
    }

    private ExplorerCli() {
    }

    public static Run run(Map<String, String> variables, String... args) {
        CliEnvironment environment = new CliEnvironment(variables, Optional.empty(), Clock.systemUTC());
        CommandLine cl = PledgeCommand.commandLine(environment, args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
