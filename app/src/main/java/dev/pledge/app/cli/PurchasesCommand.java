package dev.pledge.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.util.concurrent.Callable;

/**
 * {@code pledge purchases}: a thin client of a running server's web API. The API key comes from
 * {@code PLEDGE_API_KEY} only, never from a flag, so it does not show up in the process list.
 */
@Command(name = "purchases",
        mixinStandardHelpOptions = true,
        header = "List, inspect, approve, reject and re-drive purchases on a running server.",
        descriptionHeading = "%n",
        description = {
                "Talks to the web API of `pledge serve` (--server, default $PLEDGE_SERVER or http://localhost:8080) "
                        + "with the API key in $PLEDGE_API_KEY. Approving needs a key other than the requester's.",
                ""},
        subcommands = {
                PurchaseCommands.ListPurchases.class,
                PurchaseCommands.ShowPurchase.class,
                PurchaseCommands.ApprovePurchase.class,
                PurchaseCommands.RejectPurchase.class,
                PurchaseCommands.RedrivePurchase.class},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done",
                "1:the server could not be reached or failed",
                "2:usage error, or PLEDGE_API_KEY is not set",
                "3:refused by the server (bad key, not allowed, not found, wrong state)"})
final class PurchasesCommand implements Callable<Integer> {
    static final String SERVER_VARIABLE = "PLEDGE_SERVER";
    static final String KEY_VARIABLE = "PLEDGE_API_KEY";
    static final String DEFAULT_SERVER = "http://localhost:8080";

    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Option(names = "--server", paramLabel = "<url>", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Base URL of the Pledge server. Default: $" + SERVER_VARIABLE + " or " + DEFAULT_SERVER + ".")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", defaultValue = "text",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "text (tables) or json (the server's answer). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "a command is required: list, show, approve, reject, redrive");
    }

    /** A client for the configured server and key; usage errors name the flag or variable. */
    ApiClient client(CommandSpec caller) {
        return client(root.environment(), server, caller);
    }

    /**
     * A client for {@code server} (the --server flag, or null for $PLEDGE_SERVER or the default) and the key in
     * $PLEDGE_API_KEY; shared by the commands that talk to a running server. Usage errors name the flag or variable.
     */
    static ApiClient client(CliEnvironment env, String server, CommandSpec caller) {
        String url = server != null ? server : env.variable(SERVER_VARIABLE).orElse(DEFAULT_SERVER);
        String flag = server != null ? "--server" : SERVER_VARIABLE;
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new ParameterException(caller.commandLine(), flag + ": '" + url + "' is not an http(s) URL such as " + DEFAULT_SERVER);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new ParameterException(caller.commandLine(),
                    flag + ": '" + url + "' is not an http(s) URL such as " + DEFAULT_SERVER);
        }
        String key = env.variable(KEY_VARIABLE).orElseThrow(() -> new ParameterException(caller.commandLine(),
                KEY_VARIABLE + " is not set: export the API key the server printed at start, e.g. "
                        + "export PLEDGE_API_KEY=<requester key>"));
        return new ApiClient(uri, key);
    }

    OutputFormat output() {
        return output;
    }
}
