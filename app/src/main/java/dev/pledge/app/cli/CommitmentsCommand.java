package dev.pledge.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pledge commitments}: what the accounts hold and when it expires, as of the last refresh, from a running
 * server. With {@code --summary}, the totals per cloud and type instead.
 */
@Command(name = "commitments",
        mixinStandardHelpOptions = true,
        header = "List the commitments the accounts hold (soonest expiry first), or their totals (--summary).",
        descriptionHeading = "%n",
        description = {
                "Talks to the web API of `pledge serve` (--server, default $PLEDGE_SERVER or http://localhost:8080) "
                        + "with the API key in $PLEDGE_API_KEY (any role). Shows the inventory of the last refresh "
                        + "(`pledge recommendations refresh`); PURCHASE is the Pledge purchase that bought one.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done",
                "1:the server could not be reached or failed",
                "2:usage error, or PLEDGE_API_KEY is not set; nothing was sent",
                "3:refused by the server (bad key, not allowed), or no such account"})
final class CommitmentsCommand implements Callable<Integer> {
    static final String BASE = "/api/v1/commitments";

    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Option(names = "--server", paramLabel = "<url>",
            description = "Base URL of the Pledge server. Default: $" + PurchasesCommand.SERVER_VARIABLE + " or "
                    + PurchasesCommand.DEFAULT_SERVER + ".")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", defaultValue = "text",
            description = "text (tables) or json (the server's answer). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Option(names = "--expiring", paramLabel = "<days>",
            description = "Only active commitments ending within this many days, e.g. 90d.")
    String expiring;

    @Option(names = "--cloud", paramLabel = "<cloud>", description = "Only this cloud: aws, azure, gcp.")
    String cloud;

    @Option(names = "--type", paramLabel = "<type>", description = "Only this commitment type, e.g. aws-rds.")
    String type;

    @Option(names = "--account", paramLabel = "<account>",
            description = "Only this account: Pledge's account id, or the cloud's (AWS account number, Azure "
                    + "subscription, GCP project).")
    String account;

    @Option(names = "--ours", description = "Only those Pledge bought.")
    boolean ours;

    @Option(names = "--summary",
            description = "Active commitments per cloud and type: count, units, spend, and how many expire within "
                    + "30, 60 and 90 days (takes no filters).")
    boolean summary;

    @Override
    public Integer call() {
        if (summary) {
            List<String> filters = new ArrayList<>();
            if (expiring != null) {
                filters.add("--expiring");
            }
            if (cloud != null) {
                filters.add("--cloud");
            }
            if (type != null) {
                filters.add("--type");
            }
            if (account != null) {
                filters.add("--account");
            }
            if (ours) {
                filters.add("--ours");
            }
            if (!filters.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--summary: covers every cloud, type and account; "
                        + "leave out " + String.join(", ", filters) + " (or list with them, without --summary)");
            }
        }
        Integer days = expiring == null ? null : InsightArguments.days("--expiring", expiring, spec);
        String c = cloud == null ? null : InsightArguments.cloud(cloud, spec);
        String t = type == null ? null : InsightArguments.type(type, c, spec);
        ApiClient client = PurchasesCommand.client(root.environment(), server, spec);
        PrintWriter out = spec.commandLine().getOut();
        if (summary) {
            JsonNode s = client.get(BASE + "/summary");
            if (output == OutputFormat.json) {
                out.println(ApiClient.pretty(s));
            } else {
                InsightView.summary(s, out);
            }
            out.flush();
            return ExitCode.OK;
        }
        String a = account == null ? null : InsightArguments.account(account, c, client);
        JsonNode page = client.get(BASE + InsightArguments.query("cloud", c, "type", t, "account", a,
                "expiringWithinDays", days, "ours", ours ? Boolean.TRUE : null));
        if (output == OutputFormat.json) {
            out.println(ApiClient.pretty(page));
        } else {
            InsightView.commitments(page, out);
        }
        out.flush();
        return ExitCode.OK;
    }
}
