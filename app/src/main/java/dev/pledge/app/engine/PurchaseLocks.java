package dev.pledge.app.engine;

import dev.pledge.common.spi.GuardUndecidedException;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

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

    /**
     * The gate's one statement: still the owner, this session still holds the advisory lock (a bigint
     * key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1), and the
     * attempt is inside its guard budget by the database's clock.
     */
    static final String GATE = """
            SELECT EXISTS (SELECT 1 FROM executions WHERE id = ? AND claimed_by = ?) AS owned,
                   EXISTS (SELECT 1 FROM pg_locks
                           WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
                             AND classid = ((hashtextextended(?, 0) >> 32) & 4294967295)::oid
                             AND objid = (hashtextextended(?, 0) & 4294967295)::oid) AS locked,
                   clock_timestamp() < CAST(? AS timestamptz) + ? * interval '1 millisecond' AS in_time""";

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
        private boolean openTransaction;

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

        /**
         * The purchase gate: proves, in one statement on this connection (the one that holds the purchase
         * lock), that execution {@code executionId} is still claimed by {@code worker}, that this session
         * still holds the lock, and that the attempt that started at {@code attemptStart} (database time)
         * is still inside {@code budget}; throws {@link GuardUndecidedException} otherwise, and the
         * executor sends nothing. The check opens a transaction that the outcome's statement on this
         * connection commits ({@link #commitOpen()}), so it costs no commit of its own; it takes no row
         * lock and holds no snapshot while the purchase call runs.
         */
        void gate(UUID executionId, String worker, Instant attemptStart, Duration budget) {
            if (held == null) {
                throw new GuardUndecidedException("no purchase lock is held for execution " + executionId
                        + "; nothing was sent");
            }
            boolean owned;
            boolean locked;
            boolean inTime;
            try {
                if (connection.getAutoCommit()) {
                    connection.setAutoCommit(false);
                    openTransaction = true;
                }
                try (PreparedStatement s = connection.prepareStatement(GATE)) {
                    s.setObject(1, executionId);
                    s.setString(2, worker);
                    s.setString(3, held);
                    s.setString(4, held);
                    s.setObject(5, attemptStart.atOffset(ZoneOffset.UTC));
                    s.setLong(6, budget.toMillis());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        owned = rs.getBoolean("owned");
                        locked = rs.getBoolean("locked");
                        inTime = rs.getBoolean("in_time");
                    }
                }
            } catch (SQLException e) {
                rollbackOpen();
                throw new GuardUndecidedException("the purchase gate could not reach the database (" + e.getMessage()
                        + "): ownership of execution " + executionId + " and its purchase lock are not proven; "
                        + "nothing was sent", e);
            }
            if (!owned || !locked || !inTime) {
                rollbackOpen();
                throw new GuardUndecidedException("the purchase gate refused: "
                        + (!owned ? "execution " + executionId + " is no longer claimed by " + worker
                        : !locked ? "this session no longer holds the purchase lock " + held
                        : "the attempt started at " + attemptStart + " is older than the guard budget " + budget)
                        + "; nothing was sent");
            }
        }

        /** Commits the transaction the gate opened (after the outcome's statement ran in it). */
        void commitOpen() {
            if (!openTransaction) {
                return;
            }
            try {
                connection.commit();
                connection.setAutoCommit(true);
                openTransaction = false;
            } catch (SQLException e) {
                rollbackOpen();
                throw new IllegalStateException("could not commit the outcome on the purchase-lock connection", e);
            }
        }

        /** Rolls back the transaction the gate opened, if any (a failed statement in it). */
        void rollbackOpen() {
            if (!openTransaction) {
                return;
            }
            openTransaction = false;
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                log.debug("rollback on the purchase-lock connection failed", e);
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
                if (openTransaction) {
                    rollbackOpen();
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
