package dev.pledge.app.console;

import dev.pledge.app.insight.InsightConfiguration;
import dev.pledge.app.insight.InsightRefresher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The console's Refresh button: the refresh that {@code POST /api/v1/recommendations/refresh} runs (inventory
 * and recommendations of every enabled account, under the refresh lock that keeps it to one at a time across
 * replicas), started on a thread of its own so that the page answers at once and shows its progress instead of
 * waiting for the clouds. One at a time in this replica; what the last one did stays until the next starts.
 */
@Component
class BackgroundRefresh implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);

    private final InsightRefresher refresher;
    private final InsightConfiguration.RefreshLock lock;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pledge-console-refresh");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<State> state = new AtomicReference<>(State.NONE);

    BackgroundRefresh(InsightRefresher refresher, InsightConfiguration.RefreshLock lock) {
        this.refresher = refresher;
        this.lock = lock;
    }

    /**
     * Where the refresh started from this replica's console stands. {@code progress} is "sources done/sources";
     * {@code outcome} is null while it runs.
     */
    record State(boolean running, String startedBy, Instant startedAt, String progress, Instant finishedAt,
                 String outcome, List<String> failures) {
        static final State NONE = new State(false, null, null, null, null, null, List.of());

        public boolean any() {
            return startedAt != null;
        }

        public String startedAtText() {
            return Labels.when(startedAt);
        }

        public String finishedAtText() {
            return Labels.when(finishedAt);
        }
    }

    State state() {
        return state.get();
    }

    /** Starts a refresh for {@code person}; false when one started here is still running. */
    boolean start(String person) {
        State running = new State(true, person, clock.instant(), null, null, null, List.of());
        State before = state.get();
        if (before.running() || !state.compareAndSet(before, running)) {
            return false;
        }
        thread.execute(() -> run(running));
        return true;
    }

    private void run(State started) {
        log.info("insight refresh started in the console by {}", started.startedBy());
        State done;
        try {
            var summary = lock.run(() -> refresher.refreshAll(p -> state.updateAndGet(s -> s.running()
                    ? new State(true, s.startedBy(), s.startedAt(), p, null, null, List.of()) : s)));
            done = summary.map(s -> new State(false, started.startedBy(), started.startedAt(),
                    s.refreshed() + "/" + s.sources(), clock.instant(),
                    s.sources() + " source(s) refreshed, " + s.failed() + " failed: " + s.recommendations()
                            + " recommendation(s), " + s.commitments() + " commitment(s)", s.failures()))
                    .orElseGet(() -> new State(false, started.startedBy(), started.startedAt(), null, clock.instant(),
                            "not run: another refresh (the scheduled one, or one on another replica) holds the "
                                    + "lock; try again when it has finished", List.of()));
        } catch (RuntimeException e) {
            log.warn("insight refresh started in the console by {} failed", started.startedBy(), e);
            done = new State(false, started.startedBy(), started.startedAt(), null, clock.instant(),
                    "failed: " + e.getClass().getSimpleName() + "; the data shown is from the last refresh that "
                            + "succeeded, see the service's log", List.of());
        }
        state.set(done);
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }
}
