package dev.pledge.bench;

import dev.pledge.app.PledgeApplication;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real Pledge application (engine, services, optionally the web API) running in this JVM on a
 * benchmark database, with its executors pointed at the emulator.
 */
final class AppUnderTest implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final long startMillis;

    private AppUnderTest(ConfigurableApplicationContext context, long startMillis) {
        this.context = context;
        this.startMillis = startMillis;
    }

    /**
     * Spring properties for the app on {@code database}, talking to the emulator at {@code cloud}. The
     * web server always runs (on a free loopback port): the app's security configuration needs it.
     */
    static Map<String, String> properties(BenchDatabase db, String database, URI cloud) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", db.jdbcUrl(database));
        p.put("spring.datasource.username", db.user());
        p.put("spring.datasource.password", db.password());
        p.put("pledge.cloud.endpoint", cloud.toString());
        p.put("pledge.cloud.poll-interval", "50ms");
        p.put("spring.main.banner-mode", "off");
        p.put("logging.config", "classpath:bench-logback.xml");
        p.put("server.port", "0");
        p.put("server.address", "127.0.0.1");
        return p;
    }

    static AppUnderTest start(Map<String, String> properties) {
        return start(properties, List.of());
    }

    /** With extra bean post-processors (e.g. {@link NoCloudExecutors}), added before any bean is created. */
    static AppUnderTest start(Map<String, String> properties, List<BeanPostProcessor> postProcessors) {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        // the bench's logback file is named by logging.config for Spring; the system property is only for before
        System.clearProperty("logback.configurationFile");
        long t0 = System.nanoTime();
        SpringApplication app = new SpringApplication(PledgeApplication.class);
        app.setRegisterShutdownHook(false);
        postProcessors.forEach(p -> app.addInitializers(ctx -> ctx.getBeanFactory().addBeanPostProcessor(p)));
        ConfigurableApplicationContext context = app.run(args.toArray(String[]::new));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Progress.say("Pledge app started in %d ms", ms);
        return new AppUnderTest(context, ms);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    long startMillis() {
        return startMillis;
    }

    /** The web server's base URL ({@code http://127.0.0.1:<port>}). */
    URI baseUrl() {
        if (context instanceof WebServerApplicationContext web) {
            return URI.create("http://127.0.0.1:" + web.getWebServer().getPort());
        }
        throw new IllegalStateException("the app runs without a web server");
    }

    @Override
    public void close() {
        context.close();
    }
}
