package dev.pledge.app.cli;

import dev.pledge.app.PledgeApplication;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.security.ApiKeyService;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code pledge serve}: the Spring Boot service. With nothing configured it brings its own
 * PostgreSQL (data under {@code ./.pledge/}) and its own cloud emulator, and prints demo keys and
 * a walkthrough; configured, it uses what it is given.
 */
@Command(name = "serve",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        header = "Run the Pledge service (web API, approvals, execution engine).",
        descriptionHeading = "%n",
        description = {
                "Database: PLEDGE_DATABASE_URL (with PLEDGE_DATABASE_USER / PLEDGE_DATABASE_PASSWORD) or "
                        + "spring.datasource.*; when neither is set, an embedded PostgreSQL runs with its data under "
                        + "--data-dir, kept across restarts.",
                "",
                "Cloud: PLEDGE_CLOUD_ENDPOINT (or pledge.cloud.endpoint) sends every cloud call to an already "
                        + "running emulator; PLEDGE_CLOUD_MODE=real (pledge.cloud.mode=real) talks to the real clouds "
                        + "with each account's credentials (PLEDGE_MASTER_KEY required). When neither is set, the "
                        + "emulator runs in-process on a loopback port; with the embedded database too (demo mode), "
                        + "demo accounts for AWS, Azure and GCP are registered and three demo API keys (admin, "
                        + "requester, approver: three different owners) are printed with a curl walkthrough. "
                        + "The keys are kept in <data-dir>/demo-keys.properties (owner-only); delete it for new ones.",
                "",
                "Port: SERVER_PORT or --server.port=<n> (default 8080). Any other property (see the README's "
                        + "configuration table) can be given as --<name>=<value> or as an environment variable.",
                "",
                "Without any API key in the database, the first ADMIN key is PLEDGE_BOOTSTRAP_ADMIN_KEY, or one is "
                        + "generated into <data-dir>/bootstrap-admin.key (owner-only; printed only on a terminal). "
                        + "Demo mode uses its own admin key.",
                "",
                "Ctrl-C stops cleanly: running items finish or stay leased, and a later start recovers them.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", ExitCode.HELP_INTERNAL, ExitCode.HELP_USAGE})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    PledgeCommand root;

    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = ".pledge",
            description = "Where the embedded PostgreSQL keeps its data. Default: ${DEFAULT-VALUE} (in the "
                    + "current directory).")
    Path dataDir;

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    /** Off in tests that run serve inside the test JVM, whose signals are not ours to take. */
    static volatile boolean handleSignals = true;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ConfigurableApplicationContext context;
    private volatile LocalInfrastructure local;
    private volatile String url;

    @Override
    public Integer call() throws InterruptedException {
        for (String a : springArguments) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "unknown argument '" + a + "'; Spring properties are given as --<name>=<value>");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        LocalInfrastructure local = new LocalInfrastructure(dataDir.toAbsolutePath().normalize());
        SpringApplication app = new SpringApplication(PledgeApplication.class);
        app.addListeners(local);
        app.addListeners(event -> {
            if (event instanceof ContextClosedEvent && context != null) {
                // Closed from inside (not by a signal): finish the job off the closing thread.
                new Thread(this::stop, "pledge-serve-stop").start();
            }
        });
        SpringApplication.getShutdownHandlers().add(local::close);
        this.local = local;
        try {
            context = app.run(springArguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            local.close();
            throw new CliFailure(ExitCode.INTERNAL, "pledge serve: could not start: " + rootMessage(e), e);
        }
        ServeBanner banner = new ServeBanner(context, local);
        if (local.demo()) {
            try {
                banner.demo(DemoAccounts.ensure(context.getBean(AccountService.class)),
                        local.demoKeys().ensure(context.getBean(ApiKeyService.class)));
                banner.recommendations(DemoUsage.seedAndRefresh(local.cloudEndpoint(), context));
            } catch (RuntimeException e) {
                stop();
                throw new CliFailure(ExitCode.INTERNAL, "pledge serve: could not set up demo mode: "
                        + rootMessage(e), e);
            }
        }
        if (handleSignals) {
            StopSignals.install("pledge serve", "stopping (running items finish or stay leased; press Ctrl-C "
                    + "again to stop at once)", this::stop);
        }
        url = banner.url();
        banner.print(out);
        out.flush();
        stopped.await();
        out.println("pledge serve: stopped.");
        out.flush();
        return ExitCode.OK;
    }

    /**
     * Stops in order: the service first (workers finish or leave their items leased, the web server
     * drains), then the emulator and the embedded PostgreSQL. The JVM's own shutdown hooks would run
     * all of these at once, and the database would go away under the workers.
     */
    void stop() {
        synchronized (stopped) {
            if (stopped.getCount() == 0) {
                return;
            }
            try {
                if (context != null) {
                    context.close();
                }
            } finally {
                local.close();
                stopped.countDown();
            }
        }
    }

    /** The base URL once started (for tests that run serve in-process), else null. */
    String url() {
        return url;
    }

    /** The running service, once started (for tests that run serve in-process). */
    ConfigurableApplicationContext context() {
        return context;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
