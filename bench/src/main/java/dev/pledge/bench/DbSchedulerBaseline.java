package dev.pledge.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The yardstick: db-scheduler 16 running the same number of one-time no-op tasks on the same
 * database with the same number of threads, wired by hand (no Boot starter). Tasks are
 * scheduled before the clock starts, as our executions are approved before it starts; the clock
 * stops when the task table is empty, i.e. every execution has been picked, run and deleted.
 */
public final class DbSchedulerBaseline {
    /** The scheduled_tasks table as db-scheduler 16 reads and writes it on PostgreSQL. */
    private static final String TABLE = """
            CREATE TABLE IF NOT EXISTS scheduled_tasks (
                task_name            text                     NOT NULL,
                task_instance        text                     NOT NULL,
                task_data            bytea,
                execution_time       timestamp with time zone NOT NULL,
                picked               boolean                  NOT NULL,
                picked_by            text,
                last_success         timestamp with time zone,
                last_failure         timestamp with time zone,
                consecutive_failures integer,
                last_heartbeat       timestamp with time zone,
                version              bigint                   NOT NULL,
                priority             smallint,
                PRIMARY KEY (task_name, task_instance)
            );
            CREATE INDEX IF NOT EXISTS scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
            CREATE INDEX IF NOT EXISTS scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
            CREATE INDEX IF NOT EXISTS scheduled_tasks_priority_time ON scheduled_tasks (priority DESC, execution_time ASC);
            """;

    public enum Polling {
        /** One UPDATE ... FOR UPDATE SKIP LOCKED ... RETURNING picks a batch (the PostgreSQL-specific strategy). */
        LOCK_AND_FETCH,
        /** db-scheduler's default: select due executions, then pick each with an optimistic UPDATE. */
        FETCH
    }

    public record Result(int tasks, int threads, Polling polling, double seconds, double perSecond, long commits,
                         int executed, CpuMeter.Snapshot cpuBefore, CpuMeter.Snapshot cpuAfter) {
        public double commitsPerTask() {
            return tasks == 0 ? 0 : (double) commits / tasks;
        }
    }

    private DbSchedulerBaseline() {
    }

    public static Result run(BenchDatabase db, String database, int tasks, int threads, Polling polling,
                             Duration timeout) throws SQLException {
        try (Connection c = db.connect(database); Statement s = c.createStatement()) {
            s.execute(TABLE);
            s.execute("DELETE FROM scheduled_tasks");
        }
        AtomicInteger executed = new AtomicInteger();
        OneTimeTask<Void> noop = Tasks.oneTime("pledge-bench-noop").execute((instance, context) -> executed.incrementAndGet());

        // Scheduled through a pool that is closed before the first reading: a backend reports its
        // commit counts when it exits, so the reading before the run is exact.
        try (HikariDataSource setup = db.pool(database, 2, "db-scheduler-setup")) {
            schedule(setup, noop, tasks);
        }
        long before = db.settledCommits(database, Duration.ofMillis(500), Duration.ofSeconds(15));

        // each of db-scheduler's threads needs a connection, plus the due-executor and the housekeeper
        HikariDataSource pool = db.pool(database, threads + 3, "db-scheduler");
        long polls;
        long t0;
        long t1;
        CpuMeter.Snapshot cpuBefore;
        CpuMeter.Snapshot cpuAfter;
        try {
            SchedulerBuilder builder = Scheduler.create(pool, noop)
                    .threads(threads)
                    .pollingInterval(Duration.ofMillis(100))
                    .shutdownMaxWait(Duration.ofSeconds(5));
            if (polling == Polling.LOCK_AND_FETCH) {
                builder.pollUsingLockAndFetch(0.5, 1.0);
            } else {
                builder.pollUsingFetchAndLockOnExecute(0.5, 3.0);
            }
            Scheduler scheduler = builder.build();
            try (Connection watch = db.connect(database)) {
                CpuMeter cpu = new CpuMeter(watch, "db-scheduler-");
                cpuBefore = cpu.snapshot();
                t0 = System.nanoTime();
                scheduler.start();
                CompletionWatch w = new CompletionWatch(watch, "SELECT count(*) FROM scheduled_tasks", timeout);
                w.awaitZero();
                t1 = System.nanoTime();
                cpuAfter = cpu.snapshot();
                polls = w.polls();
            } finally {
                scheduler.stop();
            }
        } finally {
            pool.close();
        }
        long after = db.settledCommits(database, Duration.ofMillis(1000), Duration.ofSeconds(20));
        double seconds = (t1 - t0) / 1e9;
        return new Result(tasks, threads, polling, seconds, tasks / seconds, after - before - polls, executed.get(),
                cpuBefore, cpuAfter);
    }

    private static void schedule(HikariDataSource pool, OneTimeTask<Void> task, int tasks) {
        SchedulerClient client = SchedulerClient.Builder.create(pool, task).build();
        Instant due = Instant.now();
        List<TaskInstance<?>> batch = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            batch.add(task.instance("noop-" + i));
            if (batch.size() == 1000) {
                client.scheduleBatch(batch, due);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            client.scheduleBatch(batch, due);
        }
        Progress.say("db-scheduler: %d one-time no-op tasks scheduled", tasks);
    }
}
