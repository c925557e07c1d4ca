package dev.pledge.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** The db-scheduler baseline alone (engine-throughput runs it too, on the same database). */
@Command(name = "dbscheduler-baseline", mixinStandardHelpOptions = true,
        description = "db-scheduler 16: one-time no-op tasks scheduled up front, then executed; tasks/s and commits per task.")
final class DbSchedulerScenario extends ScenarioCommand {

    @Option(names = "--tasks", defaultValue = "5000", description = "Tasks. Default: ${DEFAULT-VALUE}.")
    int tasks;

    @Option(names = "--threads", defaultValue = "4", description = "Scheduler threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--polling", defaultValue = "LOCK_AND_FETCH",
            description = "LOCK_AND_FETCH or FETCH (db-scheduler's default). Default: ${DEFAULT-VALUE}.")
    DbSchedulerBaseline.Polling polling;

    @Override
    String name() {
        return "dbscheduler-baseline";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) throws Exception {
        DbSchedulerBaseline.Result r = DbSchedulerBaseline.run(context.db(), context.database(), tasks, threads,
                polling, Duration.ofMinutes(10));
        Progress.say("db-scheduler: %d tasks in %.2f s = %.0f/s, %.2f commits per task", r.tasks(), r.seconds(),
                r.perSecond(), r.commitsPerTask());
        return List.of(JsonLine.of(name())
                .put("tasks", r.tasks())
                .put("threads", r.threads())
                .put("polling", r.polling().name())
                .put("seconds", r.seconds(), 3)
                .put("dbscheduler_per_s", r.perSecond(), 1)
                .put("commits_per_task", r.commitsPerTask(), 3)
                .put("executed", r.executed()));
    }
}
