package dev.pledge.app.engine;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * LISTENs on {@code pledge_execution_approved} (sent by a trigger when an execution becomes APPROVED,
 * delivered at commit) and wakes the idle workers at once. Polling stays as the fallback: a lost
 * connection or notification costs at most one poll interval.
 */
public class ApprovalListener implements SmartLifecycle {
    static final String CHANNEL = "pledge_execution_approved";
    private static final Logger log = LoggerFactory.getLogger(ApprovalListener.class);

    private final DataSource dataSource;
    private final WakeUpSignal wakeUp;
    private final Duration retry;
    private volatile boolean running;
    private volatile long notifications;
    private Thread thread;

    ApprovalListener(DataSource dataSource, WakeUpSignal wakeUp, Duration retry) {
        this.dataSource = dataSource;
        this.wakeUp = wakeUp;
        this.retry = retry;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::listen, "pledge-approval-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(500);
                    if (received != null && received.length > 0) {
                        notifications += received.length;
                        wakeUp.wakeAll();
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN " + CHANNEL);
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("approval listener lost its connection ({}); workers fall back to polling, reconnecting "
                            + "in {}", e.getMessage(), retry);
                    sleep();
                }
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Notifications received so far (for tests and diagnostics). */
    long notificationsReceived() {
        return notifications;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
