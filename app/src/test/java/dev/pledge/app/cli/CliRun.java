package dev.pledge.app.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the real {@code pledge} command line in-process, built as {@code main} builds it, and keeps what it printed. */
final class CliRun {
    final int exitCode;
    final String out;
    final String err;

    private CliRun(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CliRun run(String... args) {
        return with(Map.of(), null, args);
    }

    /** With environment variables and, when {@code answers} is not null, a terminal that types them. */
    static CliRun with(Map<String, String> variables, List<String> answers, String... args) {
        Optional<CliEnvironment.Terminal> terminal = Optional.empty();
        if (answers != null) {
            Deque<String> queue = new ArrayDeque<>(answers);
            terminal = Optional.of(question -> queue.poll());
        }
        CliEnvironment env = new CliEnvironment(new HashMap<>(variables), terminal, Clock.systemUTC());
        CommandLine cl = PledgeCommand.commandLine(env, args); // as main() builds it for these arguments
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
