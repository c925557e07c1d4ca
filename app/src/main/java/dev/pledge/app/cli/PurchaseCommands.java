package dev.pledge.app.cli;

import dev.pledge.app.execution.ExecutionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

        /** The purchase's path, or null when {@code id} is not a UUID (a purchase id always is). */
        static String path(String id) {
            if (!UUID_TEXT.matcher(id).matches()) {
                return null;
            }
            return BASE + "/" + UUID.fromString(id);
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

    /** 8-4-4-4-12 hex digits; {@link UUID#fromString} alone also takes shorter groups. */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * {@code --status}: one status or a comma-separated list, in any case, as the server's names;
     * an unknown name is a usage error naming the flag, so it is never sent.
     */
    static String statusFilter(String value, CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            boolean known = Arrays.stream(ExecutionStatus.values()).anyMatch(s -> s.name().equals(name));
            if (!known) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--status: unknown status '"
                        + part.trim() + "'; one of " + Arrays.stream(ExecutionStatus.values()).map(Enum::name)
                        .collect(Collectors.joining(", ")) + " (or several, comma-separated)");
            }
            names.add(name);
        }
        return String.join(",", names);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List purchases, newest first.")
    static final class ListPurchases extends Base {
        @Option(names = "--status", paramLabel = "<status>",
                description = "Only this status: PENDING_APPROVAL, APPROVED, RUNNING, CONFIRMING, SUCCEEDED, "
                        + "PARTIALLY_SUCCEEDED, FAILED, REJECTED, CANCELED, EXPIRED; several comma-separated.")
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
            String statuses = status == null ? null : statusFilter(status, spec);
            StringBuilder q = new StringBuilder(BASE).append("?limit=").append(limit);
            if (statuses != null) {
                q.append("&status=").append(java.net.URLEncoder.encode(statuses, java.nio.charset.StandardCharsets.UTF_8));
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
            if ("PENDING_APPROVAL".equals(p.path("status").asString(""))
                    && p.path("approvals").path("needed").asInt(1) > 1) {
                return printDetail(p, "First of " + p.path("approvals").path("needed").asInt() + " approvals recorded:"
                        + " this purchase is above pledge.purchases.second-approval-above, so another person must"
                        + " approve it too.");
            }
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
