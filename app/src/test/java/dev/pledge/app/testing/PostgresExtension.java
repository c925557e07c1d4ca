package dev.pledge.app.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a clean, migrated schema on the one PostgreSQL of the test JVM (embedded, or
 * {@code PLEDGE_TEST_DATABASE_URL}); inject it as a {@link TestSchema} parameter of a constructor,
 * a lifecycle method or a test method. The schema is dropped after the class.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        TestSchema schema = TestDatabase.shared().newSchema(context.getRequiredTestClass().getSimpleName());
        context.getStore(NAMESPACE).put(TestSchema.class, schema);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestSchema schema = context.getStore(NAMESPACE).remove(TestSchema.class, TestSchema.class);
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestSchema.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getStore(NAMESPACE).get(TestSchema.class, TestSchema.class);
    }
}
