package dev.pledge.app.notification;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pledge.app.testing.PostgresTestInitializer;
import dev.pledge.app.testing.SharedEmulatorInitializer;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service with SMTP (GreenMail) and a webhook receiver that never answers: a purchase created
 * through the API mails its approvers (by key owner) with the console link and not its creator; the dead
 * webhook delivery is listed by {@code GET /api/v1/notifications?status=failed} for ADMIN keys only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pledge.api.bootstrap-admin-key=" + NotificationApiTest.ADMIN,
        "pledge.engine.poll-interval=1h",
        "pledge.notifications.poll-interval=100ms",
        "pledge.notifications.max-attempts=2",
        "pledge.notifications.initial-backoff=50ms",
        "pledge.notifications.max-backoff=100ms",
        "pledge.notifications.email.from=pledge@example.com",
        "pledge.console.base-url=https://pledge.example.com/console/"
})
@ContextConfiguration(initializers = {PostgresTestInitializer.class, SharedEmulatorInitializer.class})
class NotificationApiTest {
    static final String ADMIN = "notification-test-admin-key-0123456789abcdef01234";
    private static final GreenMail MAIL = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private static final WebhookReceiver SILENT;

    static {
        MAIL.start();
        try {
            SILENT = new WebhookReceiver(n -> -1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void smtpAndWebhook(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
        // all of the list in one property source: Spring binds an indexed list from the first source that has it
        registry.add("pledge.notifications.webhooks[0].url", () -> SILENT.url().toString());
        registry.add("pledge.notifications.webhooks[0].name", () -> "silent-receiver");
        registry.add("pledge.notifications.webhooks[0].secret", () -> "api-test-secret-0123456789");
        registry.add("pledge.notifications.webhooks[0].events[0]", () -> "purchase-pending-approval");
        registry.add("pledge.notifications.webhooks[0].read-timeout", () -> "300ms");
        registry.add("pledge.notifications.webhooks[0].connect-timeout", () -> "1s");
    }

    @AfterAll
    static void stop() {
        MAIL.stop();
        SILENT.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate sql;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_approvers_get_the_pending_approval_mail_with_the_console_link_and_the_creator_does_not()
            throws Exception {
        // alice may request and approve; bob and erin approve; carol only reads; dan's approver key is revoked
        String alice = key("alice", "alice@example.com", "REQUESTER", "APPROVER");
        key("bob", "Bob@Example.com", "APPROVER");
        key("erin", "erin@example.com", "APPROVER", "VIEWER");
        key("carol", "carol@example.com", "VIEWER");
        String dan = keyId("dan", "dan@example.com", "APPROVER");
        assertThat(call("DELETE", "/api/v1/keys/" + dan, ADMIN, null).statusCode()).isEqualTo(204);
        key("no-owner", null, "APPROVER");

        String account = json(call("POST", "/api/v1/accounts", ADMIN, Map.of("cloud", "aws", "externalId",
                "123456789012", "name", "notify"))).path("id").asString();
        HttpResponse<String> created = call("POST", "/api/v1/purchases", alice, Map.of("description",
                "two RDS nodes for orders", "items", List.of(Map.of("type", "aws-rds", "account", account,
                        "region", "us-east-1", "offering", "db.r6g.large", "quantity", 2, "term", "1y",
                        "payment", "no-upfront", "attributes", Map.of("productDescription", "postgresql")))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String purchase = json(created).path("id").asString();
        UUID notification = sql.queryForObject("SELECT id FROM notifications WHERE execution_id = ? AND event = "
                + "'purchase-pending-approval'", UUID.class, UUID.fromString(purchase));

        await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryForObject("SELECT count(*) FROM "
                + "notification_deliveries WHERE notification_id = ? AND channel = 'email' AND status = 'SENT'",
                Long.class, notification) == 2);
        assertThat(sql.queryForList("SELECT target FROM notification_deliveries WHERE notification_id = ? "
                + "AND channel = 'email' ORDER BY target", String.class, notification))
                .containsExactly("bob@example.com", "erin@example.com");

        List<MimeMessage> mails = Arrays.stream(MAIL.getReceivedMessages())
                .filter(m -> header(m, "X-Pledge-Notification-Id").equals(notification.toString())).toList();
        assertThat(mails).extracting(m -> m.getAllRecipients()[0].toString())
                .containsExactlyInAnyOrder("bob@example.com", "erin@example.com");
        MimeMessage mail = mails.get(0);
        String link = "https://pledge.example.com/console/purchases/" + purchase;
        assertThat(mail.getSubject()).startsWith("[Pledge] Purchase " + purchase + " waits for approval");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("pledge@example.com");
        assertThat(header(mail, "X-Pledge-Event")).isEqualTo("purchase-pending-approval");
        String plain = part(mail, "text/plain");
        String html = part(mail, "text/html");
        assertThat(plain).contains("Open it in the console: " + link).contains("db.r6g.large x2")
                .contains("approves nothing by itself");
        assertThat(html).contains("<a href=\"" + link + "\">");
    }

    @Test
    void a_receiver_that_never_answers_is_listed_as_failed_for_admins() throws Exception {
        String viewer = key("viewer", null, "VIEWER");
        String requester = key("requester", null, "REQUESTER");
        String account = json(call("POST", "/api/v1/accounts", ADMIN, Map.of("cloud", "aws", "externalId",
                "210987654321", "name", "notify 2"))).path("id").asString();
        HttpResponse<String> created = call("POST", "/api/v1/purchases", requester, Map.of("items", List.of(Map.of(
                "type", "aws-rds", "account", account, "region", "us-east-1", "offering", "db.r6g.large",
                "quantity", 1, "term", "1y", "payment", "no-upfront",
                "attributes", Map.of("productDescription", "postgresql")))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String purchase = json(created).path("id").asString();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                failed().stream().anyMatch(d -> d.path("purchase").asString().equals(purchase)));
        JsonNode dead = failed().stream().filter(d -> d.path("purchase").asString().equals(purchase)).findFirst()
                .orElseThrow();
        assertThat(dead.path("channel").asString()).isEqualTo("webhook");
        assertThat(dead.path("target").asString()).isEqualTo("silent-receiver");
        assertThat(dead.path("event").asString()).isEqualTo("purchase-pending-approval");
        assertThat(dead.path("attempts").asInt()).isEqualTo(2);
        assertThat(dead.path("lastError").asString()).contains("no answer within the read timeout");
        assertThat(SILENT.received().stream().filter(r -> r.text().contains(purchase))).hasSize(2);

        HttpResponse<String> asViewer = call("GET", "/api/v1/notifications?status=failed", viewer, null);
        assertThat(asViewer.statusCode()).isEqualTo(403);
        assertThat(asViewer.body()).contains("reading the notification outbox needs ADMIN");
        HttpResponse<String> badStatus = call("GET", "/api/v1/notifications?status=lost", ADMIN, null);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.body()).contains("status");
        String metrics = call("GET", "/actuator/prometheus", ADMIN, null).body();
        assertThat(metrics).contains("pledge_notifications_deliveries_total{channel=\"webhook\",outcome=\"dead-lettered\"}");
        assertThat(metrics).containsPattern("pledge_notifications_outbox\\{status=\"FAILED\"} [1-9]");
    }

    private List<JsonNode> failed() throws Exception {
        HttpResponse<String> r = call("GET", "/api/v1/notifications?status=failed", ADMIN, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> rows = new java.util.ArrayList<>();
        json(r).path("deliveries").forEach(rows::add);
        return rows;
    }

    private String key(String name, String owner, String... roles) throws Exception {
        return created(name, owner, roles).path("key").asString();
    }

    private String keyId(String name, String owner, String... roles) throws Exception {
        return created(name, owner, roles).path("id").asString();
    }

    /**
     * A key made through the API with its owner; a null owner here stands for a person without an email
     * (every key has an owner, but only an email address can receive mail).
     */
    private JsonNode created(String name, String owner, String... roles) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/keys", ADMIN, Map.of("name", name,
                "owner", owner != null ? owner : "team " + name, "roles", List.of(roles)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    private HttpResponse<String> call(String method, String path, String key, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(NotificationStore.JSON.writeValueAsString(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return NotificationStore.JSON.readTree(r.body());
    }

    private static String header(MimeMessage m, String name) {
        try {
            String[] values = m.getHeader(name);
            return values == null ? "" : values[0];
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first body part of this content type, anywhere in the message. */
    private static String part(MimeMessage m, String type) throws Exception {
        String found = find(m.getContent(), type);
        assertThat(found).as(type + " part of " + GreenMailUtil.getWholeMessage(m)).isNotNull();
        return found;
    }

    private static String find(Object content, String type) throws Exception {
        if (content instanceof MimeMultipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                var p = multipart.getBodyPart(i);
                if (p.isMimeType(type)) {
                    return p.getContent().toString();
                }
                String inner = find(p.getContent(), type);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
