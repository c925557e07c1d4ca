package dev.pledge.app.web;

import dev.pledge.app.testing.PostgresTestInitializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole application listening on a random port, on its own schema of the test database, with
 * the real executors buying from the project's emulator ({@link TestEmulator}) and the bootstrap
 * ADMIN key {@link WebApiTest#ADMIN_KEY}. Test classes with this annotation share one
 * context (and so one schema): they count rows before and after rather than assuming an empty table.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pledge.api.bootstrap-admin-key=" + WebApiTest.ADMIN_KEY,
        "pledge.api.max-body-size=64KB",
        // the shared context answers many deliberate bad keys (the matrix, bad-input suites)
        "pledge.api.bad-key-burst=100000",
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
@ContextConfiguration(initializers = {PostgresTestInitializer.class, TestEmulator.class})
public @interface WebApiTest {
    String ADMIN_KEY = "test-bootstrap-admin-key-0123456789abcdef0123456789";
}
