package dev.pledge.app.notification;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration refused at start with the property named; secrets never in toString; the backoff's bounds. */
class NotificationPropertiesTest {
    private static final URI SLACK = URI.create("https://hooks.slack.com/services/T000/B000/very-secret-path");

    private static NotificationProperties with(Map<String, List<String>> recipients,
                                               List<NotificationProperties.Webhook> webhooks) {
        return new NotificationProperties(true, 2, Duration.ofSeconds(2), 20, 8, Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMinutes(5), false, null, recipients, webhooks, List.of(30, 7),
                Duration.ofHours(1));
    }

    private static NotificationProperties.Webhook hook(String name, URI url, String secret, String format,
                                                       String... events) {
        return new NotificationProperties.Webhook(name, url, secret, List.of(events),
                NotificationProperties.Format.valueOf(format), null, null);
    }

    @Test
    void a_bad_value_is_refused_naming_its_property() {
        assertThatThrownBy(() -> with(Map.of("purchase-exploded", List.of("a@example.com")), List.of()))
                .hasMessageContaining("pledge.notifications.recipients.purchase-exploded")
                .hasMessageContaining("purchase-pending-approval");
        assertThatThrownBy(() -> with(Map.of("purchase-failed", List.of("not an address")), List.of()))
                .hasMessageContaining("pledge.notifications.recipients.purchase-failed[0] must be an email address");
        assertThatThrownBy(() -> with(Map.of(), List.of(hook(null, URI.create("https://r.example.com/h"), null, "JSON"))))
                .hasMessageContaining("pledge.notifications.webhooks[0].secret is required");
        assertThatThrownBy(() -> with(Map.of(), List.of(hook(null, URI.create("https://r.example.com/h"), "short",
                "JSON")))).hasMessageContaining("webhooks[0].secret must be at least 16 characters");
        assertThatThrownBy(() -> with(Map.of(), List.of(hook(null, URI.create("ftp://r.example.com/h"),
                "0123456789abcdef", "JSON")))).hasMessageContaining("webhooks[0].url must be an absolute http(s) URL");
        assertThatThrownBy(() -> with(Map.of(), List.of(hook(null, SLACK, null, "SLACK", "purchase-bought"))))
                .hasMessageContaining("webhooks[0].events[0]").hasMessageContaining("purchase-bought");
        assertThatThrownBy(() -> with(Map.of(), List.of(hook(null, SLACK, null, "SLACK"),
                hook(null, URI.create("https://hooks.slack.com/services/other"), null, "SLACK"))))
                .hasMessageContaining("webhooks[1].name 'hooks.slack.com' is used by an earlier webhook");
        assertThatThrownBy(() -> new NotificationProperties(true, 2, Duration.ZERO, 20, 8, Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMinutes(5), false, null, null, null, null, Duration.ofHours(1)))
                .hasMessageContaining("pledge.notifications.poll-interval must be a positive duration");
        assertThatThrownBy(() -> new NotificationProperties(true, 2, Duration.ofSeconds(1), 20, 8,
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(20), false, null, null,
                List.of(hook("x", SLACK, null, "SLACK")), null, Duration.ofHours(1)))
                .hasMessageContaining("pledge.notifications.claim-timeout (PT20S) must be longer than");
        assertThatThrownBy(() -> new NotificationProperties.Email("nobody", true, true, Duration.ofSeconds(1)))
                .hasMessageContaining("pledge.notifications.email.from must be an email address");
    }

    @Test
    void a_webhooks_secret_and_url_path_never_appear_in_the_configuration_as_text() {
        NotificationProperties p = with(Map.of(), List.of(
                hook("own", URI.create("https://r.example.com/h"), "s3cr3t-value-0123456789", "JSON"),
                hook(null, SLACK, null, "SLACK")));
        assertThat(p.toString()).doesNotContain("s3cr3t-value-0123456789").doesNotContain("very-secret-path")
                .contains("hooks.slack.com");
        assertThat(p.webhooks().get(1).name()).isEqualTo("hooks.slack.com");
    }

    @Test
    void the_backoff_doubles_per_attempt_up_to_the_maximum_with_jitter_in_its_upper_half() {
        DoubleSupplier low = () -> 0.0;
        DoubleSupplier high = () -> 0.999999;
        Backoff min = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1), low);
        Backoff max = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1), high);
        assertThat(min.after(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(max.after(1)).isBetween(Duration.ofMillis(9_999), Duration.ofSeconds(10));
        assertThat(min.after(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(min.after(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(min.after(4)).isEqualTo(Duration.ofSeconds(30)); // capped at 60 s, lower half cut
        assertThat(max.after(50)).isBetween(Duration.ofSeconds(59), Duration.ofMinutes(1));
    }
}
