package dev.pledge.app.notification;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Announces held commitments (current inventory generations, issue 15) that end within one of
 * {@code pledge.notifications.commitment-expiry-days}: once per commitment and threshold (the outbox's
 * dedupe key), at the smallest threshold reached, so a commitment first seen 5 days before its end is
 * announced once (7 days), not twice. Runs on one replica at a time (ShedLock, database time).
 */
class CommitmentExpiryAnnouncer implements SmartLifecycle {
    static final String NAME = "pledge-commitment-expiry-notifications";
    private static final Logger log = LoggerFactory.getLogger(CommitmentExpiryAnnouncer.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final LockingTaskExecutor locks;
    private final List<Integer> days;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    CommitmentExpiryAnnouncer(NamedParameterJdbcTemplate jdbc, LockingTaskExecutor locks, List<Integer> days,
                              Duration interval) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.days = days;
        this.interval = interval;
    }

    /** Writes the due announcements; returns how many were new. */
    int announce() {
        if (days.isEmpty()) {
            return 0;
        }
        return jdbc.update("""
                        WITH held AS (
                            SELECT h.account_id, a.external_id, h.commitment_id, h.type, h.region, h.offering,
                                   h.quantity, h.end_at,
                                   (SELECT min(d) FROM unnest(CAST(:days AS int[])) d
                                    WHERE h.end_at <= now() + d * interval '1 day') AS days
                            FROM held_commitments h
                            JOIN insight_sources s ON s.kind = 'inventory' AND s.account_id = h.account_id
                                                   AND s.type = h.type AND s.current_generation = h.generation_id
                            JOIN accounts a ON a.id = h.account_id
                            WHERE h.active AND h.end_at > now()
                              AND h.end_at <= now() + :maxDays * interval '1 day')
                        INSERT INTO notifications (event, dedupe_key, payload)
                        SELECT 'commitment-expiring',
                               'commitment:' || account_id || ':' || type || ':' || commitment_id || ':' || days,
                               jsonb_build_object('commitmentId', commitment_id, 'account', external_id,
                                                  'accountId', account_id, 'type', type, 'region', region,
                                                  'offering', offering, 'quantity', quantity, 'endAt', end_at,
                                                  'days', days)
                        FROM held
                        ON CONFLICT (dedupe_key) DO NOTHING""",
                new MapSqlParameterSource().addValue("days", days.toArray(Integer[]::new))
                        .addValue("maxDays", days.get(days.size() - 1)));
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pledge-commitment-expiry");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                locks.executeWithLock((Runnable) () -> {
                    int n = announce();
                    if (n > 0) {
                        log.info("{} commitment(s) announced as expiring", n);
                    }
                }, new LockConfiguration(Instant.now(), NAME, interval, interval.dividedBy(2)));
            } catch (RuntimeException e) {
                log.warn("{} failed; next cycle in {}: {}", NAME, interval, e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
