package dev.pledge.app.cli;

import java.io.Console;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a command reads from outside its flags: environment variables, the terminal (for the
 * purchase confirmation) and the clock. Tests pass their own instead of the process's.
 *
 * @param variables environment variables (e.g. {@code PLEDGE_CLOUD_ENDPOINT}, {@code PLEDGE_API_KEY})
 * @param terminal  the interactive terminal, or none when stdin/stdout are not a terminal
 * @param clock     time source (the one-off keys and the 24-hour duplicate window)
 */
public record CliEnvironment(Map<String, String> variables, Optional<Terminal> terminal, Clock clock) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
        terminal = terminal == null ? Optional.empty() : terminal;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** A terminal that can ask a yes/no question. */
    @FunctionalInterface
    public interface Terminal {
        /** Shows the question and returns the line typed, or null at end of input. */
        String ask(String question);
    }

    /** The real process: its environment, its console when there is one, the system clock. */
    public static CliEnvironment system() {
        Console console = System.console();
        Optional<Terminal> terminal = console == null ? Optional.empty()
                : Optional.of(question -> console.readLine("%s", question));
        return new CliEnvironment(System.getenv(), terminal, Clock.systemUTC());
    }

    /** A variable's value, or empty when unset or blank. */
    public Optional<String> variable(String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
