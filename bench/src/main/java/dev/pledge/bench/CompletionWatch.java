package dev.pledge.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Polls a count on its own connection until it reaches zero; counts its own transactions. */
final class CompletionWatch {
    private final Connection connection;
    private final String countSql;
    private final Duration timeout;
    private long polls;

    CompletionWatch(Connection connection, String countSql, Duration timeout) {
        this.connection = connection;
        this.countSql = countSql;
        this.timeout = timeout;
    }

    void awaitZero() throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        try (Statement s = connection.createStatement()) {
            while (true) {
                long left;
                polls++;
                try (ResultSet rs = s.executeQuery(countSql)) {
                    rs.next();
                    left = rs.getLong(1);
                }
                if (left == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(left + " still not done after " + timeout.toSeconds()
                            + " s (" + countSql + ")");
                }
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    Progress.say("  %d left", left);
                    lastReport = System.nanoTime();
                }
                BenchDatabase.sleep(Duration.ofMillis(20));
            }
        }
    }

    long polls() {
        return polls;
    }
}
