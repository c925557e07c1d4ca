package dev.pledge.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
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
        subcommands = {
                ServeCommand.class,
                BuyCommand.class,
                EmulatorCommand.class,
                PurchasesCommand.class,
                CommandLine.HelpCommand.class,
                CdsTrainingCommand.class},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {"Run 'pledge help <command>' or 'pledge <command> --help' for a command's flags."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCode.HELP_OK, ExitCode.HELP_INTERNAL, ExitCode.HELP_USAGE, ExitCode.HELP_REFUSED,
                ExitCode.HELP_UNKNOWN})
public final class PledgeCommand implements Callable<Integer> {

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
        if (args.length == 0 || !"serve".equals(args[0])) {
            CliLogging.warningsToStderr();
        }
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /** The configured command line; tests call this with their own environment and output writers. */
    public static CommandLine commandLine(CliEnvironment environment) {
        CommandLine cl = new CommandLine(new PledgeCommand(environment), new Factory(environment));
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
