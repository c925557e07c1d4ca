package dev.pledge.app.testing;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a Spring test context at its own migrated schema of the test database. Spring caches
 * contexts, so test classes with the same configuration share one context and one schema.
 */
public final class PostgresTestInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestSchema schema = TestDatabase.shared().newSchema("spring");
        TestPropertyValues.of(
                "spring.datasource.url=" + schema.url(),
                "spring.datasource.username=" + schema.user(),
                "spring.datasource.password=" + (schema.password() == null ? "" : schema.password()),
                "spring.flyway.schemas=" + schema.name(),
                "spring.flyway.default-schema=" + schema.name(),
                // a generated bootstrap key goes to a temporary file, not into the working directory
                "pledge.api.bootstrap-admin-key-file=" + java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                        "pledge-test-" + schema.name() + ".key")
        ).applyTo(context);
    }
}
