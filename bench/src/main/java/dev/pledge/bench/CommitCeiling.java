package dev.pledge.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How many single-row INSERT transactions per second this PostgreSQL commits with {@code threads}
 * connections: the ceiling of anything that commits once per step. Divided by commits per
 * execution it bounds the engine's executions per second.
 */
public final class CommitCeiling {

    public record Result(int threads, double seconds, long commits, double perSecond) {
    }

    private CommitCeiling() {
    }

    public static Result measure(BenchDatabase db, String database, int threads, Duration duration)
            throws Exception {
        try (Connection c = db.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigserial PRIMARY KEY, "
                    + "at timestamptz NOT NULL DEFAULT now(), worker integer NOT NULL)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> counts = new ArrayList<>();
            long t0 = System.nanoTime();
            long end = t0 + duration.toNanos();
            for (int i = 0; i < threads; i++) {
                int worker = i;
                counts.add(pool.submit(() -> insertUntil(db, database, worker, end)));
            }
            long total = 0;
            for (Future<Long> f : counts) {
                total += f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(threads, seconds, total, total / seconds);
        } finally {
            pool.shutdownNow();
            try (Connection c = db.connect(database); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_commit_probe");
            }
        }
    }

    private static long insertUntil(BenchDatabase db, String database, int worker, long end) throws SQLException {
        long n = 0;
        try (Connection c = db.connect(database);
             PreparedStatement insert = c.prepareStatement("INSERT INTO bench_commit_probe (worker) VALUES (?)")) {
            insert.setInt(1, worker);
            while (System.nanoTime() < end) {
                insert.executeUpdate();
                n++;
            }
        }
        return n;
    }
}
