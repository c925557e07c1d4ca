package dev.pledge.app.testing;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points a Spring test context's executors at the {@link SharedEmulator} ({@code pledge.cloud.*}). */
public final class SharedEmulatorInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "pledge.cloud.endpoint=" + SharedEmulator.get().baseUrl(),
                "pledge.cloud.call-timeout=10s",
                "pledge.cloud.poll-interval=50ms"
        ).applyTo(context);
    }
}
