package dev.pledge.app.cli;

import org.springframework.context.ConfigurableApplicationContext;

import java.io.PrintWriter;

/** What {@code pledge serve} prints once it is up: where it listens, where the data is, which cloud. */
final class ServeBanner {
    private ServeBanner() {
    }

    static void print(PrintWriter out, ConfigurableApplicationContext context, LocalInfrastructure local) {
        String port = context.getEnvironment().getProperty("local.server.port", "8080");
        String url = "http://localhost:" + port;
        out.println();
        out.println("Pledge is running at " + url);
        out.println("  data:  " + local.databaseDescription());
        out.println("  cloud: " + (local.cloudEndpoint() == null ? "the real clouds (each account's credentials)"
                : (local.demo() ? "built-in emulator at " : "emulator at ") + local.cloudEndpoint()));
        out.println("Stop with Ctrl-C.");
    }
}
