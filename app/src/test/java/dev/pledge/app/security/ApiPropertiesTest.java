package dev.pledge.app.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiPropertiesTest {
    private static final DataSize BODY = DataSize.ofKilobytes(512);
    private static final Duration RESOLUTION = Duration.ofSeconds(60);

    @Test
    void a_zero_or_negative_last_used_resolution_is_refused_naming_the_property() {
        assertThatThrownBy(() -> new ApiProperties(true, BODY, Duration.ZERO, null, "bootstrap-admin", false, 20, Duration.ofSeconds(6)))
                .hasMessageContaining("pledge.api.last-used-resolution");
        assertThatThrownBy(() -> new ApiProperties(true, BODY, Duration.ofSeconds(-1), null, "bootstrap-admin", false, 20, Duration.ofSeconds(6)))
                .hasMessageContaining("pledge.api.last-used-resolution");
    }

    @Test
    void a_body_limit_outside_1kb_to_64mb_is_refused_naming_the_property() {
        assertThatThrownBy(() -> new ApiProperties(true, DataSize.ofBytes(10), RESOLUTION, null, "bootstrap-admin", false, 20, Duration.ofSeconds(6)))
                .hasMessageContaining("pledge.api.max-body-size");
        assertThatThrownBy(() -> new ApiProperties(true, DataSize.ofGigabytes(1), RESOLUTION, null, "bootstrap-admin", false, 20, Duration.ofSeconds(6)))
                .hasMessageContaining("pledge.api.max-body-size");
    }

    @Test
    void a_short_bootstrap_key_is_refused_and_the_key_never_prints_whole() {
        assertThatThrownBy(() -> new ApiProperties(true, BODY, RESOLUTION, "short", "bootstrap-admin", false, 20, Duration.ofSeconds(6)))
                .hasMessageContaining("pledge.api.bootstrap-admin-key").hasMessageNotContaining("short");
        String key = "k".repeat(40);
        assertThat(new ApiProperties(true, BODY, RESOLUTION, key, "bootstrap-admin", false, 20, Duration.ofSeconds(6)).toString()).doesNotContain(key).contains("kkkkkkkk…");
    }

    @Test
    void four_eyes_is_on_when_nothing_is_configured_and_off_only_when_set_to_false() {
        ApiProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("pledge.api", ApiProperties.class);
        ApiProperties off = new Binder(new MapConfigurationPropertySource(Map.of("pledge.api.four-eyes", "false")))
                .bindOrCreate("pledge.api", ApiProperties.class);

        assertThat(defaults.fourEyes()).isTrue();
        assertThat(defaults.maxBodySize()).isEqualTo(BODY);
        assertThat(off.fourEyes()).isFalse();
    }
}
