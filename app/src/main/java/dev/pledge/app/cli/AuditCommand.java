package dev.pledge.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;

/** {@code pledge audit verify}: asks a running server to re-compute the audit hash chain (ADMIN key). */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        header = "Check that the audit trail has not been altered.",
        descriptionHeading = "%n",
        description = {"verify: re-computes the SHA-256 chain over every audit row on the server "
                + "(--server, default $PLEDGE_SERVER or http://localhost:8080) with the ADMIN key in $PLEDGE_API_KEY, "
                + "and names the first broken row.", ""},
        subcommands = AuditCommand.Verify.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the chain holds", "1:the server could not be reached or failed",
                "2:usage error, or PLEDGE_API_KEY is not set", "3:refused (not an ADMIN key)",
                "5:the chain is broken: a row was changed, deleted or inserted out of band"})
final class AuditCommand implements Callable<Integer> {
    static final int BROKEN = 5;

    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Option(names = "--server", paramLabel = "<url>", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Base URL of the Pledge server. Default: $PLEDGE_SERVER or http://localhost:8080.")
    String server;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is required: verify");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Re-compute the audit hash chain and name the first broken row.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() {
            CliEnvironment env = audit.root.environment();
            String url = audit.server != null ? audit.server
                    : env.variable(PurchasesCommand.SERVER_VARIABLE).orElse(PurchasesCommand.DEFAULT_SERVER);
            URI uri;
            try {
                uri = new URI(url.trim());
            } catch (java.net.URISyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--server: '" + url + "' is not an http(s) URL");
            }
            String key = env.variable(PurchasesCommand.KEY_VARIABLE).orElseThrow(() -> new ParameterException(
                    spec.commandLine(), PurchasesCommand.KEY_VARIABLE + " is not set: an ADMIN key"));
            JsonNode v = new ApiClient(uri, key).get("/api/v1/audit/verify");
            PrintWriter out = spec.commandLine().getOut();
            if (v.path("problem").isMissingNode() || v.path("problem").isNull()) {
                out.println("The audit chain holds: " + v.path("links").asLong() + " row(s) sealed, head hash "
                        + v.path("headHash").asString() + ".");
                out.flush();
                return ExitCode.OK;
            }
            out.println("The audit chain is BROKEN at row " + v.path("brokenRow").asString() + " (link "
                    + v.path("brokenSeq").asString() + "): " + v.path("problem").asString());
            out.flush();
            return BROKEN;
        }
    }
}
