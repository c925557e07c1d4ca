package dev.pledge.app.console;

import dev.pledge.app.testing.PostgresTestInitializer;
import dev.pledge.app.testing.SharedEmulatorInitializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole application on a random port with the console signing people in through an in-process
 * OpenID provider ({@link MockIdentityProvider}) and, as in demo mode, with API keys; the executors buy
 * from the shared emulator. Test classes with this annotation share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pledge.api.bootstrap-admin-key=" + ConsoleAppTest.ADMIN_KEY,
        "pledge.console.demo-sign-in=true",
        "pledge.console.poll-interval=1s",
        "pledge.engine.workers=2",
        "pledge.engine.lease=5s",
        "pledge.engine.heartbeat=1s",
        "pledge.engine.poll-interval=1s",
        "pledge.engine.lease-sweep-interval=2s",
        "pledge.engine.lease-sweep-deadline=1s",
        "pledge.engine.approval-sweep-interval=2s",
        "pledge.engine.approval-sweep-deadline=1s",
        "pledge.engine.shutdown-grace=5s"
})
@ContextConfiguration(initializers = {PostgresTestInitializer.class, SharedEmulatorInitializer.class,
        MockIdentityProvider.class})
@Import(TestHomePanels.class)
@interface ConsoleAppTest {
    String ADMIN_KEY = "console-test-bootstrap-admin-key-0123456789abcdef";
}
