package dev.pledge.app.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The sender threads of this replica. Each loops over {@link NotificationDispatcher#runOnce()}: at once
 * again while there was work, else after the poll interval. Stopping interrupts a wait, not a send; a
 * send cut short by the stop is sent again by whoever claims it after the claim timeout.
 */
class NotificationSenders implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NotificationSenders.class);

    private final IntFunction<NotificationDispatcher> dispatchers;
    private final int threads;
    private final Duration pollInterval;
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopping;

    NotificationSenders(IntFunction<NotificationDispatcher> dispatchers, int threads, Duration pollInterval) {
        this.dispatchers = dispatchers;
        this.threads = threads;
        this.pollInterval = pollInterval;
    }

    @Override
    public synchronized void start() {
        stopping = false;
        for (int i = 0; i < threads; i++) {
            NotificationDispatcher dispatcher = dispatchers.apply(i);
            Thread t = new Thread(() -> loop(dispatcher), "pledge-notify-" + i);
            t.setDaemon(true);
            t.start();
            running.add(t);
        }
    }

    private void loop(NotificationDispatcher dispatcher) {
        while (!stopping) {
            int claimed = 0;
            try {
                claimed = dispatcher.runOnce();
            } catch (RuntimeException e) {
                log.warn("notification sender step failed (the outbox keeps everything; next try in {}): {}",
                        pollInterval, e.toString());
            }
            if (claimed == 0 && !stopping) {
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void stop() {
        stopping = true;
        for (Thread t : running) {
            t.interrupt();
        }
        for (Thread t : running) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !running.isEmpty();
    }

    /** Stops before the data source and the engine (which stop at the default phase and later). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
