package dev.pledge.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** The subcommands of {@code pledge recommendations}; each is one API call and a readable rendering of its answer. */
final class RecommendationCommands {
    static final String BASE = "/api/v1/recommendations";
    /** A refresh calls every enabled account's clouds, one source after another per worker: it may take minutes. */
    static final Duration REFRESH_TIMEOUT = Duration.ofMinutes(30);

    private RecommendationCommands() {
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        RecommendationsCommand parent;

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

        String checkedPath(String id) {
            if (!InsightArguments.isUuid(id)) {
                throw new ParameterException(spec.commandLine(), "<id>: '" + id + "' is not a recommendation id "
                        + "(a UUID as `pledge recommendations list` shows)");
            }
            return BASE + "/" + UUID.fromString(id.trim());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the current recommendations, largest monthly savings first.")
    static final class ListRecommendations extends Base {
        @Option(names = "--cloud", paramLabel = "<cloud>", description = "Only this cloud: aws, azure, gcp.")
        String cloud;

        @Option(names = "--type", paramLabel = "<type>", description = "Only this commitment type, e.g. aws-rds.")
        String type;

        @Option(names = "--account", paramLabel = "<account>",
                description = "Only this account: Pledge's account id, or the cloud's (AWS account number, Azure "
                        + "subscription, GCP project).")
        String account;

        @Option(names = "--min-savings", paramLabel = "<amount>",
                description = "Only those saving at least this much a month (in their currency).")
        String minSavings;

        @Option(names = "--max-break-even", paramLabel = "<months>",
                description = "Only those that pay for themselves within this many months.")
        String maxBreakEven;

        @Option(names = "--recently-bought", paramLabel = "<true|false>", arity = "1",
                description = "Only those for something Pledge bought lately (true) or not (false).")
        Boolean recentlyBought;

        @Override
        public Integer call() {
            String c = cloud == null ? null : InsightArguments.cloud(cloud, spec);
            String t = type == null ? null : InsightArguments.type(type, c, spec);
            BigDecimal min = minSavings == null ? null : InsightArguments.decimal("--min-savings", minSavings, spec);
            BigDecimal breakEven = maxBreakEven == null ? null
                    : InsightArguments.decimal("--max-break-even", maxBreakEven, spec);
            ApiClient client = client();
            String a = account == null ? null : InsightArguments.account(account, c, client);
            JsonNode page = client.get(BASE + InsightArguments.query("cloud", c, "type", t, "account", a,
                    "minMonthlySavings", min, "maxBreakEvenMonths", breakEven, "recentlyBought", recentlyBought));
            if (json()) {
                return printJson(page);
            }
            InsightView.recommendations(page, out());
            out().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one recommendation with its costs, savings, freshness and the purchase proposed from it.")
    static final class ShowRecommendation extends Base {
        @Parameters(paramLabel = "<id>", description = "The recommendation id.")
        String id;

        @Override
        public Integer call() {
            JsonNode r = client().get(checkedPath(id));
            if (json()) {
                return printJson(r);
            }
            InsightView.recommendation(r, out());
            out().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Fetch inventory and recommendations of every enabled account now (ADMIN or APPROVER). "
                    + "A source that fails keeps its previous data, marked stale; the failures are listed.")
    static final class RefreshRecommendations extends Base {
        @Override
        public Integer call() {
            ApiClient client = client();
            PrintWriter err = spec.commandLine().getErr();
            err.println("Refreshing inventory and recommendations of every enabled account (the server asks each "
                    + "cloud; this can take a while) ...");
            err.flush();
            long started = System.nanoTime();
            JsonNode summary = client.post(BASE + "/refresh", null, REFRESH_TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (json()) {
                return printJson(summary);
            }
            int failed = summary.path("failed").asInt();
            out().printf(Locale.ROOT, "Refreshed %d of %d sources in %.1f s; recommendations: %d, commitments held: %d.%n",
                    summary.path("refreshed").asInt(), summary.path("sources").asInt(), took.toMillis() / 1000.0,
                    summary.path("recommendations").asInt(), summary.path("commitments").asInt());
            out().flush();
            if (failed > 0) {
                err.println(failed + " failed (their previous data is kept, marked stale):");
                for (JsonNode f : summary.path("failures")) {
                    err.println("  " + (f.isString() ? f.asString() : f.toString()));
                }
                err.flush();
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "propose", mixinStandardHelpOptions = true,
            description = "Create a purchase from a recommendation (REQUESTER). It waits for another person's "
                    + "approval. Proposing the same recommendation again gives the same purchase.")
    static final class ProposeRecommendation extends Base {
        @Parameters(paramLabel = "<id>", description = "The recommendation id.")
        String id;

        @Option(names = "--fraction", paramLabel = "<f>",
                description = "Buy this share of the recommendation (more than 0, at most 1), e.g. 0.5.")
        String fraction;

        @Option(names = "--count", paramLabel = "<n>",
                description = "Buy this many units instead of the recommended quantity (not for hourly commitments).")
        Integer count;

        @Option(names = "--override",
                description = "Propose it although Pledge bought the same thing lately (the cloud may not show "
                        + "that purchase yet: this may buy the same capacity twice).")
        boolean override;

        @Option(names = "--reason", paramLabel = "<text>", description = "Why, with --override (kept with the proposal).")
        String reason;

        @Override
        public Integer call() {
            String path = checkedPath(id);
            Map<String, Object> body = new LinkedHashMap<>();
            if (fraction != null && count != null) {
                throw new ParameterException(spec.commandLine(), "--fraction, --count: give one of them, not both");
            }
            if (fraction != null) {
                BigDecimal f;
                try {
                    f = new BigDecimal(fraction.trim());
                } catch (NumberFormatException e) {
                    f = null;
                }
                if (f == null || f.signum() <= 0 || f.compareTo(BigDecimal.ONE) > 0) {
                    throw new ParameterException(spec.commandLine(), "--fraction: must be a number more than 0 and "
                            + "at most 1, such as 0.5, was '" + fraction + "'");
                }
                body.put("fraction", f);
            }
            if (count != null) {
                if (count < 1) {
                    throw new ParameterException(spec.commandLine(), "--count: must be 1 or more, was " + count);
                }
                body.put("count", count);
            }
            if (reason != null && !override) {
                throw new ParameterException(spec.commandLine(), "--reason: only with --override");
            }
            if (override) {
                body.put("override", true);
                if (reason != null) {
                    body.put("reason", reason);
                }
            }
            ApiClient client = client();
            JsonNode proposed;
            try {
                proposed = client.post(path + "/propose", body);
            } catch (CliFailure f) {
                if (f.exitCode() == ExitCode.REFUSED && f.getMessage().contains("\"override\": true")) {
                    throw new CliFailure(f.exitCode(), f.getMessage() + "\nWith this command: add --override "
                            + "--reason '<why>'.");
                }
                throw f;
            }
            if (json()) {
                return printJson(proposed);
            }
            String purchase = proposed.path("purchase").asString();
            JsonNode detail = client.get(PurchaseCommands.BASE + "/" + purchase);
            PrintWriter out = out();
            out.println((proposed.path("replayed").asBoolean() ? "Already proposed as purchase " : "Proposed purchase ")
                    + purchase + ": " + detail.path("status").asString("-") + ".");
            PurchaseView.detail(detail, out);
            if ("PENDING_APPROVAL".equals(detail.path("status").asString())) {
                out.println("Another person approves it with: pledge purchases approve " + purchase);
            }
            out.flush();
            return ExitCode.OK;
        }
    }
}
