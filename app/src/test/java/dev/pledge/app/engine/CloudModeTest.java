package dev.pledge.app.engine;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pledge.cloud.mode} takes the documented value {@code real} or nothing: anything else is
 * refused at start naming the property, instead of silently meaning demo mode.
 */
class CloudModeTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CloudProperties.class)
    static class Bound {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void real_and_unset_are_accepted() {
        for (String value : new String[]{"real", "REAL", ""}) {
            runner.withPropertyValues("pledge.cloud.mode=" + value).run(context ->
                    assertThat(context).as("pledge.cloud.mode=" + value).hasNotFailed());
        }
        runner.run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void any_other_value_is_refused_at_start_naming_the_property() {
        for (String value : new String[]{"production", "rael", "demo-ish"}) {
            runner.withPropertyValues("pledge.cloud.mode=" + value).run(context -> {
                assertThat(context).hasFailed();
                Throwable cause = context.getStartupFailure();
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                assertThat(cause).hasMessageContaining("pledge.cloud.mode must be 'real'")
                        .hasMessageContaining("was '" + value + "'");
            });
        }
    }
}
