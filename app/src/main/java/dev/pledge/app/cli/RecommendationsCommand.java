package dev.pledge.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code pledge recommendations}: what the clouds recommend buying, on a running server, and proposals from it.
 * A thin client of the web API like {@code pledge purchases}; the key comes from {@code PLEDGE_API_KEY} only.
 */
@Command(name = "recommendations",
        mixinStandardHelpOptions = true,
        header = "List, inspect and refresh the clouds' purchase recommendations; propose one as a purchase.",
        descriptionHeading = "%n",
        description = {
                "Talks to the web API of `pledge serve` (--server, default $PLEDGE_SERVER or http://localhost:8080) "
                        + "with the API key in $PLEDGE_API_KEY. Refreshing needs an ADMIN or APPROVER key (AWS Cost "
                        + "Explorer bills each call); proposing needs a REQUESTER key, and the purchase it creates "
                        + "waits for another person's approval (`pledge purchases approve`).",
                ""},
        subcommands = {
                RecommendationCommands.ListRecommendations.class,
                RecommendationCommands.ShowRecommendation.class,
                RecommendationCommands.RefreshRecommendations.class,
                RecommendationCommands.ProposeRecommendation.class},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done",
                "1:the server could not be reached or failed",
                "2:usage error, or PLEDGE_API_KEY is not set; nothing was sent",
                "3:refused by the server (bad key, not allowed, not found, superseded, recently bought, a refresh "
                        + "already running)"})
final class RecommendationsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Option(names = "--server", paramLabel = "<url>", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Base URL of the Pledge server. Default: $" + PurchasesCommand.SERVER_VARIABLE + " or "
                    + PurchasesCommand.DEFAULT_SERVER + ".")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", defaultValue = "text",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "text (tables) or json (the server's answer). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is required: list, show, refresh, propose");
    }

    ApiClient client(CommandSpec caller) {
        return PurchasesCommand.client(root.environment(), server, caller);
    }

    OutputFormat output() {
        return output;
    }
}
