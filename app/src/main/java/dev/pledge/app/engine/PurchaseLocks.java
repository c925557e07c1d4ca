package dev.pledge.app.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * At most one purchase in flight per (cloud, account, commitment type), across every worker and
 * replica, so lookup guards never race each other: a PostgreSQL session advisory lock held on its
 * own connection for the length of the cloud call. A worker that dies loses its connection, and
 * PostgreSQL releases the lock with it.
 */
class PurchaseLocks {
    private static final Logger log = LoggerFactory.getLogger(PurchaseLocks.class);

    private final DataSource dataSource;
    private final Duration retry;

    PurchaseLocks(DataSource dataSource, Duration retry) {
        this.dataSource = dataSource;
        this.retry = retry;
    }

    /** Waits for the lock; empty when {@code giveUp} turns true first (shutdown, lost lease). */
    Optional<Held> acquire(String key, BooleanSupplier giveUp) throws InterruptedException {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("could not open a connection for the purchase lock " + key, e);
        }
        try {
            while (true) {
                if (tryLock(connection, key)) {
                    return Optional.of(new Held(connection, key));
                }
                if (giveUp.getAsBoolean()) {
                    connection.close();
                    return Optional.empty();
                }
                Thread.sleep(retry.toMillis());
            }
        } catch (SQLException | RuntimeException | InterruptedException e) {
            closeQuietly(connection);
            if (e instanceof SQLException s) {
                throw new IllegalStateException("could not take the purchase lock " + key, s);
            }
            if (e instanceof InterruptedException i) {
                throw i;
            }
            throw (RuntimeException) e;
        }
    }

    private static boolean tryLock(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing a purchase-lock connection failed", e);
        }
    }

    /** A held lock; closing it unlocks and returns the connection. */
    static final class Held implements AutoCloseable {
        private final Connection connection;
        private final String key;

        private Held(Connection connection, String key) {
            this.connection = connection;
            this.key = key;
        }

        @Override
        public void close() {
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
                s.setString(1, key);
                s.execute();
            } catch (SQLException e) {
                // the lock dies with the session: make sure this connection is not reused with it held
                log.warn("could not release purchase lock {}; dropping its connection", key, e);
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // already broken
                }
            } finally {
                closeQuietly(connection);
            }
        }
    }
}
