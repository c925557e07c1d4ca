package dev.pledge.app.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One sender's step: route new notifications, claim due deliveries, send each, report each. A delivery
 * is marked SENT only after its channel returned; a sender that dies in between leaves it claimed, and it
 * is claimed and sent again when the claim times out (at least once; the notification id stays the same).
 * A failure is retried after a {@link Backoff} until {@code max-attempts}, then dead-lettered with its error.
 */
class NotificationDispatcher {
    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final NotificationStore store;
    private final NotificationRouter router;
    private final Map<String, NotificationChannel> channels;
    private final NotificationMetrics metrics;
    private final NotificationProperties properties;
    private final Backoff backoff;
    private final String sender;

    NotificationDispatcher(NotificationStore store, NotificationRouter router, List<NotificationChannel> channels,
                           NotificationMetrics metrics, NotificationProperties properties, Backoff backoff,
                           String sender) {
        this.store = store;
        this.router = router;
        this.channels = channels.stream().collect(Collectors.toMap(NotificationChannel::channel, Function.identity()));
        this.metrics = metrics;
        this.properties = properties;
        this.backoff = backoff;
        this.sender = sender;
    }

    /** Routes and sends what is due now; returns the number of deliveries claimed (0: nothing was due). */
    int runOnce() {
        router.routePending(properties.batchSize());
        List<ClaimedDelivery> claimed = store.claim(sender, properties.batchSize(), properties.claimTimeout());
        for (ClaimedDelivery d : claimed) {
            deliver(d);
        }
        return claimed.size();
    }

    private void deliver(ClaimedDelivery d) {
        NotificationChannel channel = channels.get(d.channel());
        try {
            if (channel == null) {
                throw new IllegalStateException("the " + d.channel() + " channel is not configured in this "
                        + "process (pledge.notifications.*, spring.mail.*)");
            }
            channel.send(d.notification(), d.target(), d.attempt());
        } catch (InterruptedException e) {
            // stopping: the claim stays, and whoever claims it after the claim timeout sends it
            Thread.currentThread().interrupt();
            log.info("stopped while sending {}; it is sent again after the claim timeout", d.describe());
            return;
        } catch (Exception e) {
            failed(d, describe(e));
            return;
        }
        if (store.markSent(d)) {
            metrics.sent(d.channel());
            log.debug("sent {}", d.describe());
        } else {
            log.info("sent {}, but it was no longer pending (another sender finished it after this claim "
                    + "timed out)", d.describe());
        }
    }

    private void failed(ClaimedDelivery d, String error) {
        if (d.attempt() >= properties.maxAttempts()) {
            if (store.deadLetter(d, error)) {
                metrics.deadLettered(d.channel());
                log.error("gave up on {} after {} attempt(s): {}; it is listed by GET /api/v1/notifications"
                        + "?status=failed", d.describe(), d.attempt(), error);
            }
            return;
        }
        Duration delay = backoff.after(d.attempt());
        if (store.retryLater(d, delay, error)) {
            metrics.retried(d.channel());
            log.warn("could not send {}: {}; trying again in {}", d.describe(), error, delay);
        }
    }

    /** The error as the API shows it: what failed, never a secret (bodies and URLs are not in it). */
    static String describe(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
        String text = e.getClass().getSimpleName() + message;
        if (e instanceof java.net.http.HttpTimeoutException) {
            text = "no answer within the read timeout (" + text + ")";
        } else if (e instanceof java.net.ConnectException) {
            text = "could not connect (" + text + ")";
        }
        return text.length() > 1000 ? text.substring(0, 1000) + "\u2026" : text;
    }
}
