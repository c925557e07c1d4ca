package dev.pledge.app.web;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.insight.InsightProperties;
import dev.pledge.app.insight.InsightRefresher;
import dev.pledge.app.insight.InsightStore;
import dev.pledge.common.insight.InsightRegistry;
import dev.pledge.emulator.Emulator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pledge.insights.concurrency} bounds the cloud calls in flight, counted where they arrive: at the emulator
 * (each call in flight from its arrival until its answer is due, latency included). With a limit of 2 and a
 * latency on every call, a refresh of AWS accounts (three regions each, at once) and a GCP project (four regions)
 * never has more than 2 calls in flight, and does have 2.
 */
@WebApiTest
class InsightCallLimitTest {
    private static final Emulator EMULATOR = TestEmulator.get();

    @LocalServerPort
    int port;
    @Autowired
    InsightRegistry registry;
    @Autowired
    InsightStore store;
    @Autowired
    AccountService accounts;

    @Test
    void a_refresh_at_concurrency_2_never_has_more_than_2_calls_in_flight_at_the_cloud() {
        Http http = new Http(port);
        int n = ThreadLocalRandom.current().nextInt(100_000, 999_999);
        for (String[] a : List.of(new String[] {"aws", "300000" + n}, new String[] {"aws", "400000" + n},
                new String[] {"gcp", "limit-" + n})) {
            Http.Response r = http.post("/api/v1/accounts", WebApiTest.ADMIN_KEY, Map.of("cloud", a[0],
                    "externalId", a[1], "name", "call limit " + a[1]));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        InsightProperties two = new InsightProperties(Duration.ofHours(24), 2, 1, Duration.ZERO, "1y", "no-upfront",
                "30d", List.of("us-east-1", "us-west-2", "eu-west-1"), 7,
                List.of("us-central1", "us-east1", "europe-west1", "europe-west4"));
        Duration latency = EMULATOR.latency();
        EMULATOR.setLatency(Duration.ofMillis(20));
        EMULATOR.clearRequestCounts();
        try {
            InsightRefresher.Summary summary = new InsightRefresher(registry, store, accounts, two)
                    .refreshAll(p -> { });
            assertThat(summary.sources()).isGreaterThanOrEqualTo(2 * 14 + 2);
        } finally {
            EMULATOR.setLatency(latency);
        }
        int calls = EMULATOR.requestCounts().stream().mapToInt(dev.pledge.emulator.RequestCount::count).sum();
        assertThat(calls).as("cloud calls of the refresh").isGreaterThanOrEqualTo(2 * 26 + 5);
        assertThat(EMULATOR.peakCallsInFlight()).as("most calls in flight at the emulator").isEqualTo(2);
    }
}
