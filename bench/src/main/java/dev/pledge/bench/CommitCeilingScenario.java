package dev.pledge.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** How many one-row transactions per second the database commits: what bounds every commit-heavy figure. */
@Command(name = "commit-ceiling", mixinStandardHelpOptions = true,
        description = "Single-row INSERT transactions per second with --threads connections.")
final class CommitCeilingScenario extends ScenarioCommand {

    @Option(names = "--threads", defaultValue = "4", description = "Connections. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--seconds", defaultValue = "5", description = "Duration. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Override
    String name() {
        return "commit-ceiling";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        CommitCeiling.Result r = CommitCeiling.measure(context.db(), context.database(), threads,
                Duration.ofSeconds(seconds));
        Progress.say("commit ceiling: %.0f commits/s with %d connections", r.perSecond(), r.threads());
        return List.of(JsonLine.of(name())
                .put("threads", r.threads())
                .put("seconds", r.seconds(), 3)
                .put("commits", r.commits())
                .put("commits_per_s", r.perSecond(), 1));
    }
}
