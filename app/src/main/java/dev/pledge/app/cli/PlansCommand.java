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
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code pledge plans}: list and inspect plans, approve one another owner created, pause, resume and run
 * one now, on a running server ({@code /api/v1/plans}). The API key comes from {@code PLEDGE_API_KEY}.
 */
@Command(name = "plans",
        mixinStandardHelpOptions = true,
        header = "List, inspect, approve, pause, resume and run plans on a running server.",
        descriptionHeading = "%n",
        description = {"A plan proposes purchases from recommendations on its cadence. Acting on plans needs"
                + " an ADMIN key; approving a plan needs an owner other than its creator.", ""},
        subcommands = {PlansCommand.ListPlans.class, PlansCommand.ShowPlan.class, PlansCommand.Act.Approve.class,
                PlansCommand.Act.Pause.class, PlansCommand.Act.Resume.class, PlansCommand.Act.RunNow.class},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the server could not be reached or failed",
                "2:usage error, or PLEDGE_API_KEY is not set",
                "3:refused by the server (bad key, not allowed, not found, wrong state)"})
final class PlansCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Option(names = "--server", paramLabel = "<url>", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Base URL of the Pledge server. Default: $PLEDGE_SERVER or http://localhost:8080.")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", defaultValue = "text",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "text or json (the server's answer). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "a command is required: list, show, approve, pause, resume, run-now");
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        PlansCommand plans;

        ApiClient client() {
            return PurchasesCommand.client(plans.root.environment(), plans.server, spec);
        }

        String path(String id) {
            try {
                return "/api/v1/plans/" + UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "<id>: '" + id + "' is not a plan id (a UUID)");
            }
        }

        int print(JsonNode node, String done) {
            PrintWriter out = spec.commandLine().getOut();
            if (plans.output == OutputFormat.json) {
                out.println(ApiClient.pretty(node));
            } else {
                if (done != null) {
                    out.println(done);
                }
                JsonNode plan = node.has("plan") ? node.path("plan") : node;
                if (plan.has("id")) {
                    out.println("plan " + plan.path("id").asString() + " '" + plan.path("name").asString("") + "': "
                            + plan.path("status").asString("") + ", " + plan.path("mode").asString("") + ", cadence "
                            + plan.path("cadence").asString("") + ", next run "
                            + plan.path("nextRunAt").asString("-"));
                }
                if (node.has("detail") && !node.has("type")) {
                    out.println("cycle " + node.path("cycle").asString() + ": " + node.path("detail").asString());
                }
                JsonNode history = node.path("history");
                if (history.isArray() && !history.isEmpty()) {
                    TextTable t = new TextTable("CYCLE", "RUNS", "TRIGGER", "PURCHASE", "ITEMS", "STATUS", "DETAIL");
                    for (JsonNode h : history) {
                        t.row(h.path("cycle").asString("-"), h.path("runs").asString("-"), h.path("trigger").asString("-"),
                                h.path("purchase").asString("-"), h.path("items").asString("-"),
                                h.path("purchase_status").asString("-"), h.path("detail").asString("-"));
                    }
                    t.print(out);
                }
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every plan, newest first.")
    static final class ListPlans extends Base {
        @Override
        public Integer call() {
            JsonNode all = client().get("/api/v1/plans");
            if (plans.output == OutputFormat.json) {
                return print(all, null);
            }
            PrintWriter out = spec.commandLine().getOut();
            TextTable t = new TextTable("ID", "NAME", "STATUS", "MODE", "CADENCE", "NEXT RUN");
            for (JsonNode p : all.path("plans")) {
                t.row(p.path("id").asString(), p.path("name").asString(), p.path("status").asString(),
                        p.path("mode").asString(), p.path("cadence").asString(), p.path("nextRunAt").asString("-"));
            }
            t.print(out);
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A plan, its next run and its history.")
    static final class ShowPlan extends Base {
        @Parameters(paramLabel = "<id>", description = "The plan id.")
        String id;

        @Override
        public Integer call() {
            return print(client().get(path(id)), null);
        }
    }

    /** The actions on one plan: POST /api/v1/plans/{id}/{action}. */
    abstract static class Act extends Base {
        @Parameters(paramLabel = "<id>", description = "The plan id.")
        String id;

        abstract String action();

        @Override
        public Integer call() {
            return print(client().post(path(id) + "/" + action(), null), "Done: " + action() + ".");
        }

        @Command(name = "approve", mixinStandardHelpOptions = true,
                description = "Approve a plan another owner created; it then runs on its cadence.")
        static final class Approve extends Act {
            String action() {
                return "approve";
            }
        }

        @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a plan: no cycle runs.")
        static final class Pause extends Act {
            String action() {
                return "pause";
            }
        }

        @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused plan.")
        static final class Resume extends Act {
            String action() {
                return "resume";
            }
        }

        @Command(name = "run-now", mixinStandardHelpOptions = true,
                description = "Run the current cycle now; a cycle that already ran proposes nothing new.")
        static final class RunNow extends Act {
            String action() {
                return "run-now";
            }
        }
    }
}
