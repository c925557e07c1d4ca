package dev.pledge.emulator;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.pledge.emulator.aws.Ec2Api;
import dev.pledge.emulator.aws.ElastiCacheApi;
import dev.pledge.emulator.aws.MemoryDbApi;
import dev.pledge.emulator.aws.OpenSearchApi;
import dev.pledge.emulator.aws.RdsApi;
import dev.pledge.emulator.aws.RedshiftApi;
import dev.pledge.emulator.aws.SavingsPlansApi;
import dev.pledge.emulator.aws.StsApi;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

/**
 * A stateful emulator of the clouds' purchase APIs on one HTTP port, built on WireMock: every
 * request goes to the first {@link CloudApi} plug-in that recognises it, against a shared
 * {@link CloudState}, with injected faults and latency applied by the core. The control API is
 * under {@code /__pledge/} on the same port (see {@code providers/emulator/README.md}).
 *
 * <pre>{@code
 * try (Emulator emulator = Emulator.builder().build().start()) {
 *     URI cloud = emulator.baseUrl();          // give this to ProviderSettings.emulator(...)
 *     EmulatorClient control = emulator.client();
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {
    private final int requestedPort;
    private final String bindAddress;
    private final List<CloudApi> apis;
    private final List<Offering> seed;
    private final CloudState state;
    private final EmulatorClock clock;
    private final FaultPlan faults = new FaultPlan();
    private final RequestCounters counters = new RequestCounters();
    private final CallTimeline timeline = new CallTimeline();
    private final int threads;
    private volatile Duration latency;
    private WireMockServer server;

    /**
     * Every plug-in the emulator runs by default, in the order they are asked to recognise a
     * request. Azure and GCP services add theirs here, one line each.
     */
    public static List<CloudApi> defaultApis() {
        return List.of(
                new StsApi(),
                new Ec2Api(),
                new RdsApi(),
                new ElastiCacheApi(),
                new RedshiftApi(),
                new MemoryDbApi(),
                new OpenSearchApi(),
                new SavingsPlansApi(),
                new dev.pledge.emulator.aws.CostExplorerApi(),
                // Azure: add dev.pledge.emulator.azure plug-ins here
                new dev.pledge.emulator.azure.ReservationOrderAliasApi(),
                new dev.pledge.emulator.azure.SavingsPlanOrderAliasApi(),
                new dev.pledge.emulator.azure.AzureInsightApi(),
                // GCP: add dev.pledge.emulator.gcp plug-ins here
                new dev.pledge.emulator.gcp.RegionCommitmentsApi(),
                new dev.pledge.emulator.gcp.GcpInsightApi()
        );
    }

    private Emulator(Builder b) {
        this.requestedPort = b.port;
        this.bindAddress = b.bindAddress;
        this.apis = List.copyOf(b.apis);
        List<Offering> s = new ArrayList<>();
        if (b.offerings != null) {
            s.addAll(b.offerings);
        } else {
            apis.forEach(api -> s.addAll(api.seedOfferings()));
        }
        this.seed = List.copyOf(s);
        this.clock = new EmulatorClock(b.clock);
        this.state = new CloudState(seed, clock);
        this.latency = b.latency;
        this.threads = b.threads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; returns this. */
    public synchronized Emulator start() {
        if (server != null) {
            return this;
        }
        WireMockConfiguration options = WireMockConfiguration.options()
                .bindAddress(bindAddress)
                .extensions(new CloudDispatcher(this))
                .disableRequestJournal()
                .gzipDisabled(true)
                .containerThreads(threads)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(Math.max(4, threads / 4))
                .notifier(new Slf4jNotifier(false));
        options = requestedPort == 0 ? options.dynamicPort() : options.port(requestedPort);
        WireMockServer s = new WireMockServer(options);
        s.start();
        s.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
        server = s;
        return this;
    }

    /** Stops listening; state is kept until the object is dropped. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the emulator is not started");
        }
        return server.port();
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint every executor is pointed at. */
    public URI baseUrl() {
        String host = "0.0.0.0".equals(bindAddress) ? "127.0.0.1" : bindAddress;
        return URI.create("http://" + host + ":" + port());
    }

    /** A control-API client for this emulator. */
    public EmulatorClient client() {
        return new EmulatorClient(baseUrl());
    }

    /** The shared state, for in-process callers (demo mode, tests). */
    public CloudState state() {
        return state;
    }

    /** Arms a fault for the next {@code times} matching calls. */
    public void inject(FaultSpec fault) {
        faults.add(Objects.requireNonNull(fault, "fault"));
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<RequestCount> requestCounts() {
        return counters.snapshot();
    }

    /**
     * Forgets commitments, faults and counters, puts the catalog back to its seed and the clock back to
     * its base. Latency stays.
     */
    public void reset() {
        faults.clear();
        counters.clear();
        timeline.clear();
        clock.resetOffset();
        state.reset(seed);
    }

    /** The emulator's time now (its clock plus every {@link #advanceClock} so far). */
    public java.time.Instant now() {
        return clock.instant();
    }

    /**
     * Moves the emulator's time forward: purchases whose provisioning or payment time has now come read
     * as final. Tests use it instead of sleeping.
     */
    public void advanceClock(Duration by) {
        clock.advance(by);
    }

    Duration clockOffset() {
        return clock.offset();
    }

    /** Latency added to every cloud call (not the control API); the benchmarks use it. */
    public Duration latency() {
        return latency;
    }

    public void setLatency(Duration latency) {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("latency: must be 0 or more, was " + latency);
        }
        this.latency = latency;
    }

    List<CloudApi> apis() {
        return apis;
    }

    FaultPlan faults() {
        return faults;
    }

    RequestCounters counters() {
        return counters;
    }

    CallTimeline timeline() {
        return timeline;
    }

    /**
     * Most cloud calls in flight at once at this emulator since the last reset of the request counters (from
     * recognising a call to its answer being due, latency included).
     */
    public int peakCallsInFlight() {
        return timeline.inFlight().peak();
    }

    /** Clears the request counters and the in-flight record. */
    public void clearRequestCounts() {
        counters.clear();
        timeline.clear();
    }

    /**
     * Offerings from JSON in the shape {@code GET /__pledge/offerings} answers (an array of objects),
     * e.g. to seed a catalog from a file; errors name the field.
     */
    @SuppressWarnings("unchecked")
    public static List<Offering> readOfferings(String json) {
        Object parsed = com.github.tomakehurst.wiremock.common.Json.read(json, Object.class);
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalArgumentException("offerings: expected a JSON array of offerings");
        }
        List<Offering> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof java.util.Map<?, ?>)) {
                throw new IllegalArgumentException("offerings: every entry must be a JSON object");
            }
            out.add(EmulatorJson.toOffering((java.util.Map<String, Object>) o));
        }
        return out;
    }

    /**
     * {@code java -jar pledge-emulator.jar [--port 4566] [--bind 127.0.0.1] [--latency-ms 0]
     * [--offerings catalog.json]}.
     */
    public static void main(String[] args) throws InterruptedException {
        Builder b = builder().port(4566);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port" -> b.port(parse(a, value));
                case "--bind" -> b.bindAddress(required(a, value));
                case "--latency-ms" -> b.latency(Duration.ofMillis(parse(a, value)));
                case "--offerings" -> {
                    try {
                        b.offerings(readOfferings(java.nio.file.Files.readString(java.nio.file.Path.of(
                                required(a, value)))));
                    } catch (java.io.IOException | IllegalArgumentException e) {
                        System.err.println("--offerings: cannot read " + value + ": " + e.getMessage());
                        System.exit(2);
                    }
                }
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar pledge-emulator.jar [--port 4566] [--bind 127.0.0.1]"
                            + " [--latency-ms 0] [--offerings catalog.json]\ncontrol API: /__pledge/commitments, /__pledge/offerings,"
                            + " /__pledge/faults, /__pledge/requests, /__pledge/reset, /__pledge/latency");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + a + " (try --help)");
                    System.exit(2);
                }
            }
            i++;
        }
        Emulator emulator = b.build();
        try {
            emulator.start();
        } catch (RuntimeException e) {
            System.err.println("could not start the emulator: " + e.getMessage());
            System.exit(1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            stopped.countDown();
        }, "pledge-emulator-shutdown"));
        System.out.println("Pledge cloud emulator listening on " + emulator.baseUrl()
                + " (control API under /__pledge/, pid " + ProcessHandle.current().pid() + ")");
        stopped.await();
    }

    private static int parse(String option, String value) {
        try {
            return Integer.parseInt(required(option, value));
        } catch (NumberFormatException e) {
            System.err.println(option + ": must be a whole number, was '" + value + "'");
            System.exit(2);
            return -1;
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            System.err.println(option + ": a value is required");
            System.exit(2);
        }
        return value;
    }

    /** Options; every one has a default suitable for tests. */
    public static final class Builder {
        private int port;
        private String bindAddress = "127.0.0.1";
        private List<CloudApi> apis = defaultApis();
        private List<Offering> offerings;
        private Duration latency = Duration.ZERO;
        private Clock clock = Clock.systemUTC();
        private int threads = 32;

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: must be 0-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Loopback by default; {@code 0.0.0.0} for a container. */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /** Replaces the plug-ins (default {@link #defaultApis()}). */
        public Builder apis(List<CloudApi> apis) {
            this.apis = List.copyOf(apis);
            return this;
        }

        /** Replaces the seeded catalog (default: every plug-in's {@link CloudApi#seedOfferings()}). */
        public Builder offerings(List<Offering> offerings) {
            this.offerings = List.copyOf(offerings);
            return this;
        }

        public Builder latency(Duration latency) {
            if (latency == null || latency.isNegative()) {
                throw new IllegalArgumentException("latency: must be 0 or more, was " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** Time source for {@code createdAt} and start times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Request threads (default 32). */
        public Builder threads(int threads) {
            if (threads < 4) {
                throw new IllegalArgumentException("threads: must be at least 4, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        public Emulator build() {
            return new Emulator(this);
        }
    }
}
