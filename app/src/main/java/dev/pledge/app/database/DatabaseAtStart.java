package dev.pledge.app.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Start-up work that needs the database, run again with backoff while the database cannot be reached
 * (connection refused, server starting up or shutting down), up to {@value #WAIT} (default 2 minutes).
 * A worker restarted while PostgreSQL restarts then comes up when the database returns instead of
 * exiting. Any other failure (a wrong master key, a bad statement) ends the start at once.
 */
public final class DatabaseAtStart {
    public static final String WAIT = "pledge.database.startup-wait";
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(DatabaseAtStart.class);

    private final Duration wait;

    public DatabaseAtStart(Duration wait) {
        if (wait == null || wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException(WAIT + " must be a positive duration (e.g. 2m), was " + wait);
        }
        this.wait = wait;
    }

    /** With {@value #WAIT} from the environment. */
    public static DatabaseAtStart from(Environment env) {
        String value = env.getProperty(WAIT);
        if (value == null || value.isBlank()) {
            return new DatabaseAtStart(DEFAULT_WAIT);
        }
        Duration parsed;
        try {
            parsed = env.getProperty(WAIT, Duration.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(WAIT + " must be a duration such as 90s or 2m, was '" + value + "'", e);
        }
        return new DatabaseAtStart(parsed);
    }

    public void run(String what, Runnable work) {
        call(what, () -> {
            work.run();
            return null;
        });
    }

    /** Runs {@code work}; while it fails because the database cannot be reached, waits and runs it again. */
    public <T> T call(String what, Supplier<T> work) {
        long deadline = System.nanoTime() + wait.toNanos();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!unreachable(e) || System.nanoTime() + backoff.toNanos() > deadline) {
                    throw e;
                }
                log.warn("start-up: {} needs the database, which cannot be reached ({}); try {} again in {} ms "
                        + "(waiting up to {} in all, {})", what, rootMessage(e), attempt + 1, backoff.toMillis(), wait,
                        WAIT);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * True when the failure says the server could not be reached or is not accepting connections yet:
     * SQL state class 08 (connection exception), 57P01-57P03 (shutting down, crashed, starting up), or
     * a refused TCP connection.
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
