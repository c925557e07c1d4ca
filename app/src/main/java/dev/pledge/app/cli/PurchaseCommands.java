package dev.pledge.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** The subcommands of {@code pledge purchases}; each is one API call and a readable rendering of its answer. */
final class PurchaseCommands {
    static final String BASE = "/api/v1/purchases";

    private PurchaseCommands() {
    }

    /** What every subcommand shares: the parent's client and output format, and printing. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        PurchasesCommand parent;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        ApiClient client() {
            return parent.client(spec);
        }

        boolean json() {
            return parent.output() == OutputFormat.json;
        }

        int printJson(JsonNode node) {
            out().println(ApiClient.pretty(node));
            out().flush();
            return ExitCode.OK;
        }

        int printDetail(JsonNode p, String headline) {
            if (json()) {
                return printJson(p);
            }
            PrintWriter out = out();
            if (headline != null) {
                out.println(headline);
            }
            PurchaseView.detail(p, out);
            out.flush();
            return ExitCode.OK;
        }

        static String path(String id) {
            if (!id.matches("[A-Za-z0-9-]{1,64}")) {
                return null;
            }
            return BASE + "/" + id;
        }

        String checkedPath(String id) {
            String p = path(id);
            if (p == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "<id>: '" + id + "' is not a purchase id (a UUID as `pledge purchases list` shows)");
            }
            return p;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List purchases, newest first.")
    static final class ListPurchases extends Base {
        @Option(names = "--status", paramLabel = "<status>",
                description = "Only this status: PENDING_APPROVAL, APPROVED, RUNNING, CONFIRMING, SUCCEEDED, "
                        + "PARTIALLY_SUCCEEDED, FAILED, REJECTED, CANCELED, EXPIRED.")
        String status;

        @Option(names = "--limit", paramLabel = "<n>", defaultValue = "50",
                description = "At most this many (1-200). Default: ${DEFAULT-VALUE}.")
        int limit;

        @Option(names = "--cursor", paramLabel = "<cursor>",
                description = "Continue after the previous page (the cursor a listing prints at its end).")
        String cursor;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 200) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--limit: must be 1-200, was " + limit);
            }
            StringBuilder q = new StringBuilder(BASE).append("?limit=").append(limit);
            if (status != null) {
                q.append("&status=").append(java.net.URLEncoder.encode(status.trim().toUpperCase(java.util.Locale.ROOT),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            if (cursor != null) {
                q.append("&cursor=").append(java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            }
            JsonNode page = client().get(q.toString());
            if (json()) {
                return printJson(page);
            }
            PurchaseView.list(page, out());
            out().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one purchase with its items and their outcomes.")
    static final class ShowPurchase extends Base {
        @Parameters(paramLabel = "<id>", description = "The purchase id.")
        String id;

        @Override
        public Integer call() {
            return printDetail(client().get(checkedPath(id)), null);
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a pending purchase (with a key other than the requester's); it then runs.")
    static final class ApprovePurchase extends Base {
        @Parameters(paramLabel = "<id>", description = "The purchase id.")
        String id;

        @Override
        public Integer call() {
            JsonNode p = client().post(checkedPath(id) + "/approve", null);
            return printDetail(p, "Approved.");
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a pending purchase; nothing will be bought.")
    static final class RejectPurchase extends Base {
        @Parameters(paramLabel = "<id>", description = "The purchase id.")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "<text>", description = "Why (kept in the audit trail).")
        String reason;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reason", reason);
            JsonNode p = client().post(checkedPath(id) + "/reject", body);
            return printDetail(p, "Rejected.");
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Run a failed or partially succeeded purchase again with the same tokens: what was "
                    + "bought is found by the guard, not bought again.")
    static final class RedrivePurchase extends Base {
        @Parameters(paramLabel = "<id>", description = "The purchase id.")
        String id;

        @Override
        public Integer call() {
            JsonNode p = client().post(checkedPath(id) + "/redrive", null);
            return printDetail(p, "Re-driven: it runs again with the same tokens.");
        }
    }
}
