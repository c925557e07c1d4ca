package dev.pledge.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code pledge} command: the start class of {@code app/target/pledge.jar}. Only
 * {@code serve} boots Spring; every other command is plain Java so it starts fast.
 */
@Command(name = "pledge",
        mixinStandardHelpOptions = true,
        versionProvider = PledgeCommand.Version.class,
        description = {
                "Buys cloud commitments (AWS Reserved Instances and Savings Plans, Azure reservations and "
                        + "savings plans, GCP committed-use discounts) behind an approval workflow, never twice.",
                ""},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {"Run 'pledge help <command>' or 'pledge <command> --help' for a command's flags."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCode.HELP_OK, ExitCode.HELP_INTERNAL, ExitCode.HELP_USAGE, ExitCode.HELP_REFUSED,
                ExitCode.HELP_UNKNOWN})
public final class PledgeCommand implements Callable<Integer> {

    /**
     * The subcommands by name, in the order {@code pledge --help} lists them. Added in code rather
     * than with {@code @Command(subcommands = ...)} so that {@link #commandLine(CliEnvironment, String[])}
     * can leave out the ones a run does not use: picocli reflects over every registered command
     * up front, which is a good part of a short command's start time.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("serve", ServeCommand.class);
        all.put("buy", BuyCommand.class);
        all.put("emulator", EmulatorCommand.class);
        all.put("purchases", PurchasesCommand.class);
        all.put("plans", PlansCommand.class);
        all.put("recommendations", RecommendationsCommand.class);
        all.put("commitments", CommitmentsCommand.class);
        all.put("audit", AuditCommand.class);
        all.put("keys", KeysCommand.class);
        all.put("help", CommandLine.HelpCommand.class);
        all.put("cds-training", CdsTrainingCommand.class);
        all.put("cds-prepare", CdsPrepareCommand.class);
        return Collections.unmodifiableMap(all);
    }

    @Spec
    CommandSpec spec;

    private final CliEnvironment environment;

    PledgeCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    CliEnvironment environment() {
        return environment;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is required: serve, buy, emulator, purchases");
    }

    public static void main(String[] args) {
        boolean serve = args.length > 0 && "serve".equals(args[0]);
        if (!serve) {
            CliLogging.warningsToStderr();
        }
        noGroovyClosures();
        int exitCode = commandLine(CliEnvironment.system(), args).execute(args);
        if (!serve) {
            stopHttpClientSelectors();
        }
        System.exit(exitCode);
    }

    /**
     * Tells picocli not to look for Groovy's {@code groovy.lang.Closure} (there is no Groovy here, and
     * no closure in any annotation). Looking up a class that is not on the class path searches every
     * jar on it: in the launcher's layout that opens all ~200 jars (about 60 ms), which help, usage
     * errors and --version otherwise need not do. (A command that sets up TLS opens them anyway: the
     * JDK looks for URL handler services on the whole class path.)
     */
    static void noGroovyClosures() {
        if (System.getProperty(PICOCLI_DISABLE_CLOSURES) == null) {
            System.setProperty(PICOCLI_DISABLE_CLOSURES, "true");
        }
    }

    static final String PICOCLI_DISABLE_CLOSURES = "picocli.disable.closures";

    /**
     * Stops the selector threads of the JDK's {@code java.net.http.HttpClient} (the Azure SDK's
     * transport and {@code pledge purchases}), once the command is done. Such a thread waits for
     * I/O in native code, and JDK 17 makes {@code System.exit} wait 300 ms for threads in native
     * code to block (JDK-8314243 made that wait configurable, in JDK 22 only). The HttpClient has
     * no close() before JDK 21; interrupting its selector thread is its own way out (its loop
     * ends on interrupt and shuts the client down). Nothing is in flight any more at this point:
     * the command has returned and reported its outcome.
     */
    static void stopHttpClientSelectors() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        stopHttpClientSelectors(Arrays.asList(threads).subList(0, n));
    }

    /** Of {@code threads}, interrupts the HttpClient selector threads and waits a little for them to end. */
    static void stopHttpClientSelectors(Collection<Thread> threads) {
        List<Thread> stopping = new ArrayList<>();
        for (Thread t : threads) {
            if (t != Thread.currentThread() && t.getName().startsWith("HttpClient-")
                    && t.getName().endsWith("-SelectorManager")) {
                t.interrupt();
                stopping.add(t);
            }
        }
        for (Thread t : stopping) {
            try {
                t.join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The configured command line; tests call this with their own environment and output writers. */
    public static CommandLine commandLine(CliEnvironment environment) {
        return commandLine(environment, new String[0]);
    }

    /**
     * The command line for {@code args}: when the first argument names a command (other than
     * {@code help}), only that command is registered under {@code pledge}, since parsing and
     * running it involve no other; anything else (no arguments, {@code --help}, {@code help ...},
     * an unknown command) gets all of them, so help, usage errors and suggestions are complete.
     */
    static CommandLine commandLine(CliEnvironment environment, String[] args) {
        Factory factory = new Factory(environment);
        CommandLine cl = new CommandLine(new PledgeCommand(environment), factory);
        String first = args.length == 0 ? null : args[0];
        Class<?> only = first == null || "help".equals(first) ? null : SUBCOMMANDS.get(first);
        for (Map.Entry<String, Class<?>> c : SUBCOMMANDS.entrySet()) {
            if (only == null || only == c.getValue()) {
                cl.addSubcommand(c.getKey(), new CommandLine(c.getValue(), factory));
            }
        }
        // after the subcommands: picocli applies a setting to the commands registered when it is set
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(PledgeCommand::usageError);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(ex, commandLine));
        return cl;
    }

    /** A usage error: the message (which names the flag) and where to find help; no full usage dump. */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getColorScheme().errorText(qualifiedName(cl) + ": " + ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + qualifiedName(cl) + " --help' for the flags.");
        err.flush();
        return ExitCode.USAGE;
    }

    private static int failure(Exception ex, CommandLine cl) {
        PrintWriter err = cl.getErr();
        if (ex instanceof CliFailure f) {
            if (f.getMessage() != null && !f.getMessage().isEmpty()) {
                err.println(f.getMessage());
            }
            err.flush();
            return f.exitCode();
        }
        err.println(qualifiedName(cl) + ": unexpected error: " + ex);
        for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            err.println("  caused by: " + c);
        }
        err.flush();
        return ExitCode.INTERNAL;
    }

    private static String qualifiedName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }

    /** Gives every command the same environment. */
    private record Factory(CliEnvironment environment) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == PledgeCommand.class) {
                return cls.cast(new PledgeCommand(environment));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /** The version from the jar's manifest, or "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PledgeCommand.class.getPackage().getImplementationVersion();
            return new String[]{"pledge " + (v == null ? "(development build)" : v),
                    "Java ${java.version} (${java.vendor})"};
        }
    }
}
