package dev.pledge.app.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the real {@code pledge} command line in-process, built as {@code main} builds it, and keeps what it printed. */
final class CliRun {
    /**
     * The token journal directory runs use unless a test passes {@code PLEDGE_JOURNAL_DIR}: a temporary
     * directory, never the user's home. Tests that reset the emulator point it at a fresh directory too.
     */
    static volatile Path journalDir = temporaryJournalDir();

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
        return at(Clock.systemUTC(), variables, answers, args);
    }

    /** As {@link #with}, with the command's clock (the journal's times, the executors' settings). */
    static CliRun at(Clock clock, Map<String, String> variables, List<String> answers, String... args) {
        Optional<CliEnvironment.Terminal> terminal = Optional.empty();
        if (answers != null) {
            Deque<String> queue = new ArrayDeque<>(answers);
            terminal = Optional.of(question -> queue.poll());
        }
        Map<String, String> env = new HashMap<>(variables);
        env.putIfAbsent("PLEDGE_JOURNAL_DIR", journalDir.toString());
        CliEnvironment environment = new CliEnvironment(env, terminal, clock);
        CommandLine cl = PledgeCommand.commandLine(environment, args); // as main() builds it for these arguments
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static Path temporaryJournalDir() {
        try {
            return Files.createTempDirectory("pledge-cli-journal-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
