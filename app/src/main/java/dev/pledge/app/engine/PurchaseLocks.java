package dev.pledge.app.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * At most one purchase in flight per (cloud, account, commitment type), across every worker and
 * replica, so lookup guards never race each other: a PostgreSQL session advisory lock held for the
 * length of the cloud call. A worker that dies loses its session, and PostgreSQL releases the lock
 * with it.
 *
 * <p>The lock lives on a connection of its own, {@linkplain #pin() pinned} to the worker thread for
 * the length of one item: while pinned, every Spring transaction and JDBC statement of that thread on
 * the same {@link DataSource} runs on that connection. So the lock is taken by the statement that
 * writes the write-ahead record, and released by the one that records the outcome: one commit each,
 * not three (a session lock outlives its transaction, and a rollback does not release it, which is
 * why {@link Pinned#close()} releases whatever may still be held).
 */
class PurchaseLocks {
    private static final Logger log = LoggerFactory.getLogger(PurchaseLocks.class);

    private final DataSource dataSource;
    private final Duration retry;

    PurchaseLocks(DataSource dataSource, Duration retry) {
        this.dataSource = dataSource;
        this.retry = retry;
    }

    Duration retry() {
        return retry;
    }

    /** Takes a connection of the pool and binds it to this thread until {@link Pinned#close()}. */
    Pinned pin() {
        if (TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalStateException("a connection is already bound to this thread; a purchase lock must be "
                    + "taken outside any transaction");
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("could not open a connection for the purchase lock", e);
        }
        ConnectionHolder holder = new ConnectionHolder(connection);
        TransactionSynchronizationManager.bindResource(dataSource, holder);
        return new Pinned(connection, holder);
    }

    /**
     * A connection bound to the worker thread, and the purchase lock it may hold. Closing it releases
     * a lock still held, unbinds and returns the connection; if the release fails the connection is
     * dropped, so it never goes back to the pool with a lock on it.
     */
    final class Pinned implements AutoCloseable {
        private final Connection connection;
        private final ConnectionHolder holder;
        private String held;

        private Pinned(Connection connection, ConnectionHolder holder) {
            this.connection = connection;
            this.holder = holder;
        }

        /**
         * Before a statement that may take the lock {@code key} on this connection: from now on the
         * lock counts as held (closing releases it) until {@link #lockTaken} says it was not taken or
         * {@link #released} says it was released. Throws unless this connection is the one bound to
         * the calling thread, so a session lock can never be left on a connection that goes back to
         * the pool.
         */
        void mayHold(String key) {
            if (held != null) {
                throw new IllegalStateException("purchase lock " + held + " is still held; release it before " + key);
            }
            if (TransactionSynchronizationManager.getResource(dataSource) != holder) {
                throw new IllegalStateException("the purchase lock " + key + " must be taken on the pinned connection "
                        + "of the calling thread");
            }
            held = key;
        }

        /** After the statement of {@link #mayHold}: whether it took the lock. */
        void lockTaken(boolean taken) {
            if (!taken) {
                held = null;
            }
        }

        /** After a statement on this connection that ran {@code pg_advisory_unlock} for the held key. */
        void released() {
            held = null;
        }

        /** Releases the lock now, in a statement of its own. */
        private void unlock() {
            if (held == null) {
                return;
            }
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
                s.setString(1, held);
                s.execute();
                held = null;
            } catch (SQLException e) {
                throw new IllegalStateException("could not release the purchase lock " + held, e);
            }
        }

        /** The lock key held, or null. */
        String held() {
            return held;
        }

        @Override
        public void close() {
            try {
                if (TransactionSynchronizationManager.getResource(dataSource) == holder) {
                    TransactionSynchronizationManager.unbindResource(dataSource);
                }
                if (held != null) {
                    try {
                        if (!connection.getAutoCommit()) {
                            connection.rollback();
                            connection.setAutoCommit(true);
                        }
                        unlock();
                    } catch (SQLException | RuntimeException e) {
                        // the lock dies with the session: make sure this connection is not reused with it held
                        log.warn("could not release purchase lock {}; dropping its connection", held, e);
                        try {
                            connection.abort(Runnable::run);
                        } catch (SQLException ignored) {
                            // already broken
                        }
                    }
                }
            } finally {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.debug("closing a purchase-lock connection failed", e);
                }
            }
        }
    }
}
