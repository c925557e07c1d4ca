package dev.pledge.app.console;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsolePropertiesTest {
    private static ConsoleProperties.Oidc none() {
        return new ConsoleProperties.Oidc(null, null, null, "email", "groups", Map.of(), List.of("openid"));
    }

    @Test
    void bad_values_are_refused_naming_the_property() {
        assertThatThrownBy(() -> new ConsoleProperties(false, Duration.ZERO, Duration.ofHours(8), Duration.ofSeconds(2),
                none())).hasMessageContaining("pledge.console.idle-timeout");
        assertThatThrownBy(() -> new ConsoleProperties(false, Duration.ofHours(9), Duration.ofHours(8),
                Duration.ofSeconds(2), none())).hasMessageContaining("pledge.console.absolute-timeout");
        assertThatThrownBy(() -> new ConsoleProperties.Oidc("https://idp.example.com", null, null, "email", "groups",
                Map.of(), List.of("openid"))).hasMessageContaining("pledge.console.oidc.client-id");
        assertThatThrownBy(() -> new ConsoleProperties.Oidc("idp.example.com", "c", null, "email", "groups",
                Map.of(), List.of("openid"))).hasMessageContaining("pledge.console.oidc.issuer");
        assertThatThrownBy(() -> new ConsoleProperties.Oidc("https://idp.example.com", "c", null, "email", "groups",
                Map.of(), List.of("email"))).hasMessageContaining("pledge.console.oidc.scopes");
    }
}
