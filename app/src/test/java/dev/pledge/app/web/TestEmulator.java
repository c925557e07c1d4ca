package dev.pledge.app.web;

import dev.pledge.emulator.Emulator;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The project's cloud emulator, one per test JVM, and the initializer that points the application's
 * executors at it (one attempt per call, so one injected fault is one failed call).
 */
final class TestEmulator implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    private static volatile Emulator emulator;

    static Emulator get() {
        Emulator e = emulator;
        if (e == null) {
            synchronized (TestEmulator.class) {
                e = emulator;
                if (e == null) {
                    e = Emulator.builder().build().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(e::close, "test-emulator-stop"));
                    emulator = e;
                }
            }
        }
        return e;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "pledge.cloud.endpoint=" + get().baseUrl(),
                "pledge.cloud.max-attempts=1").applyTo(context);
    }
}
