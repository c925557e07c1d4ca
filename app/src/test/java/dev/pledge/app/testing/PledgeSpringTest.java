package dev.pledge.app.testing;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole application on its own schema of the test database, with fast engine settings and the
 * real executors talking to the shared emulator. Test classes with this annotation share one
 * Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "pledge.engine.workers=2",
        "pledge.engine.lease=5s",
        "pledge.engine.heartbeat=1s",
        // an hour: in these tests, work starts only when LISTEN/NOTIFY wakes a worker
        "pledge.engine.poll-interval=1h",
        "pledge.engine.lease-sweep-interval=2s",
        "pledge.engine.lease-sweep-deadline=1s",
        "pledge.engine.approval-sweep-interval=2s",
        "pledge.engine.approval-sweep-deadline=1s",
        "pledge.engine.shutdown-grace=5s"
})
@ContextConfiguration(initializers = {PostgresTestInitializer.class, SharedEmulatorInitializer.class})
public @interface PledgeSpringTest {
}
