package dev.pledge.app.cli;

import dev.pledge.app.database.EmbeddedDatabase;
import dev.pledge.app.engine.CloudProperties;
import dev.pledge.emulator.Emulator;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code pledge serve} brings along when nothing is configured: an embedded PostgreSQL with
 * its data in the data directory, and the cloud emulator on a loopback port. Decided once Spring
 * has read every configuration source (files, environment, arguments), so configuring a database
 * or cloud in any of them turns the local one off.
 */
final class LocalInfrastructure implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
    static final String DATABASE_URL_VARIABLE = "PLEDGE_DATABASE_URL";
    static final String CLOUD_ENDPOINT_PROPERTY = "pledge.cloud.endpoint";
    static final String CLOUD_MODE_PROPERTY = CloudProperties.MODE_PROPERTY;
    static final String CONSOLE_KEY_SIGN_IN_PROPERTY = "pledge.console.demo-sign-in";
    static final String BOOTSTRAP_KEY_PROPERTY = "pledge.api.bootstrap-admin-key";
    static final String BOOTSTRAP_KEY_VARIABLE = "PLEDGE_BOOTSTRAP_ADMIN_KEY";

    static final String BOOTSTRAP_OWNER_PROPERTY = "pledge.api.bootstrap-admin-owner";
    static final String BOOTSTRAP_FILE_PROPERTY = "pledge.api.bootstrap-admin-key-file";
    static final String MASTER_KEY_FILE_PROPERTY = "pledge.secrets.master-key-file";

    private final Path dataDir;
    private EmbeddedDatabase database;
    private Emulator emulator;
    private String databaseDescription;
    private URI cloudEndpoint;
    private boolean demo;
    private DemoKeys demoKeys;
    private boolean adminKeyConfigured;

    LocalInfrastructure(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        Map<String, Object> properties = new LinkedHashMap<>();
        // before anything starts: a mistyped mode must not bring up a database and the demo emulator
        boolean realClouds = CloudProperties.realMode(env.getProperty(CLOUD_MODE_PROPERTY));
        prepareDatabase(env, properties);
        prepareCloud(env, properties, realClouds);
        if (database != null && cloudEndpoint != null && isBlank(env.getProperty(MASTER_KEY_FILE_PROPERTY))
                && isBlank(env.getProperty("PLEDGE_MASTER_KEY"))) {
            // The embedded database against an emulator: credentials are sealed too, under a master key
            // generated into the data directory (0600) so that they survive a restart. Against the real
            // clouds no key is generated: the operator must give one, and the service refuses to start without.
            properties.put(MASTER_KEY_FILE_PROPERTY, dataDir.resolve("master.key").toString());
            properties.put("pledge.secrets.generate-master-key", "true");
        }
        if (isBlank(env.getProperty(BOOTSTRAP_FILE_PROPERTY))) {
            properties.put(BOOTSTRAP_FILE_PROPERTY, dataDir.resolve("bootstrap-admin.key").toString());
        }
        env.getPropertySources().addFirst(new MapPropertySource("pledge-serve", properties));
    }

    private void prepareDatabase(ConfigurableEnvironment env, Map<String, Object> properties) {
        String configured = firstNonBlank(env.getProperty("spring.datasource.url"),
                env.getProperty(DATABASE_URL_VARIABLE));
        if (configured != null) {
            if (isBlank(env.getProperty("spring.datasource.url"))) {
                DatabaseUrl url = DatabaseUrl.parse(configured);
                properties.put("spring.datasource.url", url.jdbcUrl());
                if (url.user() != null) {
                    properties.put("spring.datasource.username", url.user());
                    properties.put("spring.datasource.password", url.password() == null ? "" : url.password());
                }
                copy(env, "PLEDGE_DATABASE_USER", "spring.datasource.username", properties);
                copy(env, "PLEDGE_DATABASE_PASSWORD", "spring.datasource.password", properties);
                configured = url.jdbcUrl();
            }
            databaseDescription = "PostgreSQL at " + withoutCredentials(configured);
            return;
        }
        Path pgData = dataDir.resolve("postgres");
        OrphanedPostgres.stop(pgData);
        database = EmbeddedDatabase.startPersistent(pgData);
        properties.put("spring.datasource.url", database.jdbcUrl());
        properties.put("spring.datasource.username", database.user());
        properties.put("spring.datasource.password", database.password());
        databaseDescription = "embedded PostgreSQL, data in " + pgData;
    }

    private void prepareCloud(ConfigurableEnvironment env, Map<String, Object> properties, boolean realClouds) {
        String endpoint = firstNonBlank(env.getProperty(CLOUD_ENDPOINT_PROPERTY),
                env.getProperty(BuyCommand.ENDPOINT_VARIABLE));
        if (endpoint != null) {
            properties.put(CLOUD_ENDPOINT_PROPERTY, endpoint);
            cloudEndpoint = URI.create(endpoint);
            emulatorTimings(env, properties);
            return;
        }
        if (realClouds) {
            return;
        }
        emulator = Emulator.builder().port(0).bindAddress("127.0.0.1").build().start();
        cloudEndpoint = emulator.baseUrl();
        properties.put(CLOUD_ENDPOINT_PROPERTY, cloudEndpoint.toString());
        emulatorTimings(env, properties);
        // Demo keys and accounts only when nothing is real: the embedded database AND the emulator. A real
        // database with the cloud mode forgotten gets the emulator but no demo keys in its (shared) log.
        demo = database != null;
        if (!demo) {
            return;
        }
        properties.put(BOOTSTRAP_OWNER_PROPERTY, DemoKeys.ADMIN_OWNER);
        if (isBlank(env.getProperty("pledge.notifications.log"))) {
            // demo mode: notifications show in the log (and go to any webhook or SMTP server configured)
            properties.put("pledge.notifications.log", "true");
        }
        demoKeys = new DemoKeys(dataDir);
        adminKeyConfigured = !isBlank(env.getProperty(BOOTSTRAP_KEY_PROPERTY))
                || !isBlank(env.getProperty(BOOTSTRAP_KEY_VARIABLE));
        if (!adminKeyConfigured) {
            // BootstrapAdminKey installs it, so the service does not print a generated one of its own.
            properties.put(BOOTSTRAP_KEY_PROPERTY, demoKeys.adminSecret());
        }
        if (isBlank(env.getProperty(CONSOLE_KEY_SIGN_IN_PROPERTY))) {
            // the console's "Sign in with an API key" form exists in demo mode only
            properties.put(CONSOLE_KEY_SIGN_IN_PROPERTY, "true");
        }
    }

    /**
     * The emulator answers in milliseconds: poll its long-running operations (Azure, GCP) every 200 ms
     * instead of the real clouds' 5 s, so the walkthrough finishes in a moment. Configured values win.
     */
    private static void emulatorTimings(ConfigurableEnvironment env, Map<String, Object> properties) {
        if (isBlank(env.getProperty("pledge.cloud.poll-interval"))) {
            properties.put("pledge.cloud.poll-interval", "200ms");
        }
        if (isBlank(env.getProperty("pledge.cloud.call-timeout"))) {
            properties.put("pledge.cloud.call-timeout", "10s");
        }
    }

    /** Demo mode's API keys, or null outside demo mode. */
    DemoKeys demoKeys() {
        return demoKeys;
    }

    /** True when the operator chose the admin key (it is then not printed). */
    boolean adminKeyConfigured() {
        return adminKeyConfigured;
    }

    Path dataDir() {
        return dataDir;
    }

    /** Where the data lives, for the banner. */
    String databaseDescription() {
        return databaseDescription;
    }

    /** The emulator every executor talks to, or null for the real clouds. */
    URI cloudEndpoint() {
        return cloudEndpoint;
    }

    /** True when the emulator runs in-process: demo accounts and keys are set up. */
    boolean demo() {
        return demo;
    }

    Emulator emulator() {
        return emulator;
    }

    /** Stops what was started, emulator first; runs after the Spring context has closed. */
    synchronized void close() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** PLEDGE_DATABASE_URL as a JDBC URL or as postgres://user:password@host:port/db. */
    record DatabaseUrl(String jdbcUrl, String user, String password) {
        static DatabaseUrl parse(String value) {
            if (value.startsWith("jdbc:")) {
                return new DatabaseUrl(value, null, null);
            }
            URI uri = URI.create(value);
            if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
                throw new IllegalArgumentException(DATABASE_URL_VARIABLE + " must be a jdbc:postgresql:// or "
                        + "postgres:// URL");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : null;
            }
            String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new DatabaseUrl("jdbc:postgresql://" + hostPort + uri.getRawPath() + query, user, password);
        }
    }

    private static void copy(ConfigurableEnvironment env, String from, String to, Map<String, Object> properties) {
        String v = env.getProperty(from);
        if (!isBlank(v) && isBlank(env.getProperty(to))) {
            properties.put(to, v);
        }
    }

    private static String firstNonBlank(String a, String b) {
        return !isBlank(a) ? a.trim() : !isBlank(b) ? b.trim() : null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** A JDBC URL for the banner: query parameters (which may hold a password) left out. */
    private static String withoutCredentials(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }
}
