package dev.pledge.app.notification;

import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook deliveries from the outbox to a real local HTTP server: signed, retried with backoff until the
 * receiver answers 2xx, dead-lettered after the attempt limit with the last error.
 */
@ExtendWith(PostgresExtension.class)
class WebhookDeliveryTest {
    private final NotificationFixture f;

    WebhookDeliveryTest(TestSchema db) {
        this.f = new NotificationFixture(db);
    }

    /** Each test sees only its own notifications: what earlier tests left behind is settled. */
    @org.junit.jupiter.api.BeforeEach
    void settleEarlierNotifications() {
        f.sql.update("UPDATE notifications SET routed_at = now() WHERE routed_at IS NULL");
        f.sql.update("UPDATE notification_deliveries SET status = 'SENT', sent_at = now() WHERE status = 'PENDING'");
    }

    @Test
    void the_webhook_arrives_with_a_valid_signature_of_its_raw_body() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> 200)) {
            var hook = NotificationFixture.webhook("signed", receiver.url(), Duration.ofSeconds(5),
                    "purchase-pending-approval");
            NotificationProperties p = NotificationFixture.properties(3, Duration.ofMinutes(1), List.of(hook));
            NotificationDispatcher dispatcher = f.dispatcher(p, "s1", channel(p));
            UUID purchase = f.pending(f.account(), "key:requester");

            drain(dispatcher);

            List<WebhookReceiver.Received> got = mine(receiver, purchase);
            assertThat(got).hasSize(1);
            WebhookReceiver.Received r = got.get(0);
            assertThat(r.header("X-Pledge-Signature"))
                    .isEqualTo("sha256=" + hmacHex(NotificationFixture.SECRET, r.body()));
            assertThat(r.header("X-Pledge-Signature"))
                    .isNotEqualTo("sha256=" + hmacHex("another-secret-0123456789", r.body()));
            assertThat(r.header("X-Pledge-Event")).isEqualTo("purchase-pending-approval");
            JsonNode body = NotificationStore.JSON.readTree(r.text());
            UUID notification = f.notification(purchase, "purchase-pending-approval");
            assertThat(body.path("id").asString()).isEqualTo(notification.toString());
            assertThat(r.header("X-Pledge-Notification-Id")).isEqualTo(notification.toString());
            assertThat(body.path("event").asString()).isEqualTo("purchase-pending-approval");
            assertThat(body.path("occurredAt").asString()).isNotBlank();
            assertThat(body.path("purchase").path("id").asString()).isEqualTo(purchase.toString());
            assertThat(body.path("purchase").path("items").get(0).path("offering").asString()).isEqualTo("db.r6g.large");
            assertThat(f.deliveryStatus(notification, "webhook", "signed")).isEqualTo("SENT");
        }
    }

    @Test
    void a_receiver_answering_500_three_times_gets_it_on_the_fourth_try() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> n <= 3 ? 500 : 200)) {
            var hook = NotificationFixture.webhook("flaky", receiver.url(), Duration.ofSeconds(5),
                    "purchase-pending-approval");
            NotificationProperties p = NotificationFixture.properties(5, Duration.ofMinutes(1), List.of(hook));
            NotificationDispatcher dispatcher = f.dispatcher(p, "s1", channel(p));
            UUID purchase = f.pending(f.account(), "key:requester");
            UUID notification = f.notification(purchase, "purchase-pending-approval");

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
                dispatcher.runOnce();
                return "SENT".equals(f.deliveryStatus(notification, "webhook", "flaky"));
            });

            assertThat(mine(receiver, purchase)).hasSize(4);
            assertThat(receiver.received()).extracting(r -> r.header("X-Pledge-Notification-Id"))
                    .containsOnly(notification.toString());
            assertThat(receiver.received()).extracting(r -> r.header("X-Pledge-Delivery-Attempt"))
                    .containsExactly("1", "2", "3", "4");
            assertThat(f.sql.queryForObject("SELECT attempts FROM notification_deliveries WHERE notification_id = ?",
                    Integer.class, notification)).isEqualTo(4);
            assertThat(f.metrics.count("retried", "webhook")).isEqualTo(3);
            assertThat(f.metrics.count("sent", "webhook")).isEqualTo(1);
        }
    }

    @Test
    void a_receiver_that_never_answers_is_dead_lettered_after_the_limit_with_its_last_error() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> -1)) {
            var hook = NotificationFixture.webhook("silent", receiver.url(), Duration.ofMillis(300),
                    "purchase-pending-approval");
            NotificationProperties p = NotificationFixture.properties(3, Duration.ofMinutes(1), List.of(hook));
            NotificationDispatcher dispatcher = f.dispatcher(p, "s1", channel(p));
            UUID purchase = f.pending(f.account(), "key:requester");
            UUID notification = f.notification(purchase, "purchase-pending-approval");

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                dispatcher.runOnce();
                return "FAILED".equals(f.deliveryStatus(notification, "webhook", "silent"));
            });

            assertThat(mine(receiver, purchase)).hasSize(3);
            NotificationStore.DeliveryRow row = f.store.deliveries("FAILED", 10).stream()
                    .filter(d -> d.notification().equals(notification)).findFirst().orElseThrow();
            assertThat(row.attempts()).isEqualTo(3);
            assertThat(row.lastError()).contains("no answer within the read timeout");
            assertThat(row.failedAt()).isNotNull();
            assertThat(f.metrics.count("dead-lettered", "webhook")).isEqualTo(1);
            // nothing more is tried
            dispatcher.runOnce();
            assertThat(mine(receiver, purchase)).hasSize(3);
        }
    }

    @Test
    void a_sender_killed_between_send_and_mark_is_followed_by_a_second_send_of_the_same_id_after_restart()
            throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> 200)) {
            // a claim hides a delivery from other senders for 3 s: then a dead sender's work is taken over
            NotificationProperties shortClaim = NotificationFixture.properties(5, Duration.ofSeconds(3),
                    List.of(NotificationFixture.webhook("crash", receiver.url(), Duration.ofMillis(500),
                            "purchase-pending-approval")));
            WebhookChannel real = channel(shortClaim);
            NotificationChannel dies = new NotificationChannel() {
                @Override
                public String channel() {
                    return real.channel();
                }

                @Override
                public void send(Notification n, String target, int attempt) throws Exception {
                    real.send(n, target, attempt);
                    throw new SenderKilled();
                }
            };
            UUID purchase = f.pending(f.account(), "key:requester");
            UUID notification = f.notification(purchase, "purchase-pending-approval");

            NotificationDispatcher first = f.dispatcher(shortClaim, "replica-a", dies);
            try {
                first.runOnce();
            } catch (SenderKilled expected) {
                // the process "died" after the receiver had the notification, before it was marked sent
            }
            assertThat(mine(receiver, purchase)).hasSize(1);
            assertThat(f.deliveryStatus(notification, "webhook", "crash")).isEqualTo("PENDING");
            assertThat(f.sql.queryForObject("SELECT claimed_by || ' ' || attempts FROM notification_deliveries "
                    + "WHERE notification_id = ?", String.class, notification)).isEqualTo("replica-a 1");

            // restart: a new sender takes the delivery over once the dead sender's claim has timed out
            NotificationDispatcher restarted = f.dispatcher(shortClaim, "replica-b", channel(shortClaim));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                restarted.runOnce();
                return "SENT".equals(f.deliveryStatus(notification, "webhook", "crash"));
            });

            List<WebhookReceiver.Received> got = mine(receiver, purchase);
            assertThat(got).hasSize(2);
            assertThat(got).extracting(r -> r.header("X-Pledge-Notification-Id")).containsOnly(notification.toString());
            assertThat(got.get(0).text()).isEqualTo(got.get(1).text());
        }
    }

    @Test
    void two_senders_never_send_the_same_delivery_at_once() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> 200)) {
            var hook = NotificationFixture.webhook("shared", receiver.url(), Duration.ofSeconds(5),
                    "purchase-pending-approval");
            NotificationProperties p = NotificationFixture.properties(3, Duration.ofMinutes(1), List.of(hook));
            var account = f.account();
            List<UUID> purchases = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                purchases.add(f.pending(account, "key:requester"));
            }
            NotificationDispatcher a = f.dispatcher(p, "a", channel(p));
            NotificationDispatcher b = f.dispatcher(p, "b", channel(p));
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var fa = pool.submit(() -> drain(a));
                var fb = pool.submit(() -> drain(b));
                fa.get();
                fb.get();
            } finally {
                pool.shutdownNow();
            }
            List<String> ids = receiver.received().stream().map(r -> r.header("X-Pledge-Notification-Id")).toList();
            assertThat(ids).doesNotHaveDuplicates();
            for (UUID purchase : purchases) {
                assertThat(ids).contains(f.notification(purchase, "purchase-pending-approval").toString());
            }
        }
    }

    private static final class SenderKilled extends Error {
        SenderKilled() {
            super("sender killed between send and mark (test)");
        }
    }

    private static WebhookChannel channel(NotificationProperties p) {
        return new WebhookChannel(p.webhooks(), new ConsoleLink(java.net.URI.create("https://pledge.example.com/console")));
    }

    private static Void drain(NotificationDispatcher dispatcher) {
        for (int i = 0; i < 100 && dispatcher.runOnce() > 0; i++) {
            // until nothing is due
        }
        return null;
    }

    /** What the receiver got about one purchase (other tests of the class share the schema). */
    private static List<WebhookReceiver.Received> mine(WebhookReceiver receiver, UUID purchase) {
        return receiver.received().stream().filter(r -> r.text().contains(purchase.toString())).toList();
    }

    /** The receiver's side of the signature, written out here rather than calling the code under test. */
    static String hmacHex(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }
}
