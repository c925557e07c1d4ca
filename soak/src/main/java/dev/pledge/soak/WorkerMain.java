package dev.pledge.soak;

import dev.pledge.app.PledgeApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One soak worker: the real Pledge application (engine, sweeps, persistence) in its own JVM, its
 * web server on an unused loopback port. Everything else comes from the Spring properties on the command line
 * ({@code --spring.datasource.url=...}, {@code --pledge.cloud.endpoint=...}, {@code --pledge.engine.*}).
 * It runs until it is stopped or killed.
 */
public final class WorkerMain {
    static final String READY = "soak worker ready";

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = new ArrayList<>();
        // The web layer stays on (its security configuration needs it) but on a random loopback port
        // that nobody calls: this process is here for the engine.
        arguments.add("--server.port=0");
        arguments.add("--server.address=127.0.0.1");
        arguments.add("--spring.main.banner-mode=off");
        arguments.addAll(List.of(args));
        SpringApplication app = new SpringApplication(PledgeApplication.class);
        CountDownLatch closed = new CountDownLatch(1);
        app.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        ConfigurableApplicationContext context = app.run(arguments.toArray(String[]::new));
        System.out.println(READY + ", pid " + ProcessHandle.current().pid() + ", context " + context.getId());
        closed.await();
    }
}
