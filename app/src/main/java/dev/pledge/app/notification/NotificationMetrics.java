package dev.pledge.app.notification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;

/**
 * {@code pledge.notifications.deliveries{channel, outcome=sent|retried|dead-lettered}} counts what this
 * replica's senders did; {@code pledge.notifications.outbox{status}} is the outbox itself (all replicas),
 * so {@code pledge_notifications_outbox{status="FAILED"} > 0} is the alert for dead letters.
 */
class NotificationMetrics {
    private final MeterRegistry registry;
    private final NotificationStore store;
    private Map<String, Long> snapshot = Map.of();
    private long snapshotAt;

    NotificationMetrics(MeterRegistry registry, NotificationStore store) {
        this.registry = registry;
        this.store = store;
        for (String status : new String[]{"PENDING", "SENT", "FAILED"}) {
            Gauge.builder("pledge.notifications.outbox", () -> count(status)).tag("status", status)
                    .description("notification deliveries per status, all replicas").register(registry);
        }
    }

    void sent(String channel) {
        counter(channel, "sent").increment();
    }

    void retried(String channel) {
        counter(channel, "retried").increment();
    }

    void deadLettered(String channel) {
        counter(channel, "dead-lettered").increment();
    }

    double count(String outcome, String channel) {
        return counter(channel, outcome).count();
    }

    private Counter counter(String channel, String outcome) {
        return Counter.builder("pledge.notifications.deliveries").tag("channel", channel).tag("outcome", outcome)
                .description("notification delivery attempts by this replica, by outcome").register(registry);
    }

    private synchronized double count(String status) {
        long now = System.nanoTime();
        if (snapshot.isEmpty() || now - snapshotAt > 1_000_000_000L) {
            snapshot = store.countsByStatus();
            snapshotAt = now;
        }
        return snapshot.getOrDefault(status, 0L);
    }
}
