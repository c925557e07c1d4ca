package dev.pledge.app.notification;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs a notification to a configured webhook: Pledge's JSON ({@code id, event, occurredAt, <subject>,
 * link}) or a Slack-compatible {@code text} with blocks. The raw body is signed with the webhook's secret
 * ({@code X-Pledge-Signature: sha256=<hex HMAC-SHA256>}); any 2xx answer is a delivery, anything else
 * (another status, a timeout, a refused connection) is a failure that the dispatcher retries.
 */
class WebhookChannel implements NotificationChannel {
    static final String SIGNATURE = "X-Pledge-Signature";
    static final String EVENT = "X-Pledge-Event";
    static final String ID = "X-Pledge-Notification-Id";
    static final String ATTEMPT = "X-Pledge-Delivery-Attempt";

    private final Map<String, NotificationProperties.Webhook> webhooks = new LinkedHashMap<>();
    private final Map<String, HttpClient> clients = new LinkedHashMap<>();
    private final ConsoleLink console;

    WebhookChannel(List<NotificationProperties.Webhook> webhooks, ConsoleLink console) {
        this.console = console;
        for (NotificationProperties.Webhook w : webhooks) {
            this.webhooks.put(w.name(), w);
            // no redirects: a redirect would send the signed body somewhere nobody configured
            this.clients.put(w.name(), HttpClient.newBuilder().connectTimeout(w.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build());
        }
    }

    @Override
    public String channel() {
        return DeliveryTarget.WEBHOOK;
    }

    @Override
    public void send(Notification notification, String target, int attempt) throws Exception {
        NotificationProperties.Webhook hook = webhooks.get(target);
        if (hook == null) {
            throw new IllegalStateException("webhook '" + target + "' is no longer configured "
                    + "(pledge.notifications.webhooks[n].name)");
        }
        byte[] body = body(notification, hook.format()).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(hook.url())
                .timeout(hook.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Pledge-Notifications")
                .header(EVENT, notification.event().wireName())
                .header(ID, notification.id().toString())
                .header(ATTEMPT, String.valueOf(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (hook.secret() != null) {
            request.header(SIGNATURE, "sha256=" + sign(hook.secret(), body));
        }
        HttpResponse<String> response = clients.get(target).send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            throw new WebhookRefused("HTTP " + response.statusCode() + " from webhook '" + target + "'"
                    + (answer.isEmpty() ? "" : ": " + (answer.length() > 200 ? answer.substring(0, 200) + "\u2026"
                    : answer)));
        }
    }

    /** The receiver answered, but not with 2xx. */
    static final class WebhookRefused extends Exception {
        WebhookRefused(String message) {
            super(message);
        }
    }

    String body(Notification n, NotificationProperties.Format format) {
        NotificationText text = new NotificationText(n, console);
        ObjectNode body = NotificationStore.JSON.createObjectNode();
        if (format == NotificationProperties.Format.SLACK) {
            String summary = NotificationText.slack(text.summary());
            body.put("text", text.link() == null ? summary : summary + " <" + text.link() + "|Open in Pledge>");
            ArrayNode blocks = body.putArray("blocks");
            List<String> lines = text.lines();
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text").put("type", "mrkdwn").put("text", "*" + summary + "*\n"
                    + NotificationText.slack(String.join("\n", lines.subList(2, lines.size())).strip()));
            ObjectNode context = blocks.addObject().put("type", "context");
            context.putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", n.event().wireName() + " \u00b7 notification " + n.id());
            return NotificationStore.JSON.writeValueAsString(body);
        }
        body.put("id", n.id().toString());
        body.put("event", n.event().wireName());
        body.put("occurredAt", n.occurredAt().toString());
        body.put("summary", text.summary());
        body.set(n.event().subject().field(), n.payload());
        body.put("link", text.link());
        return NotificationStore.JSON.writeValueAsString(body);
    }

    /** Hex HMAC-SHA256 of {@code body} with {@code secret}: what a receiver computes to check a delivery. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
