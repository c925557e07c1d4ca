package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control API under /__pledge/, through {@link EmulatorClient} and raw HTTP. */
class ControlApiTest {
    private static Emulator emulator;
    private static EmulatorClient control;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().build().start();
        control = emulator.client();
    }

    @AfterAll
    static void stop() {
        emulator.stop();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_bad_fault_is_refused_with_a_message_naming_the_field_and_nothing_is_armed() throws Exception {
        HttpResponse<String> unknownFault = send("POST", "/__pledge/faults", "{\"cloud\":\"aws\",\"fault\":\"explode\"}");
        HttpResponse<String> noCloud = send("POST", "/__pledge/faults", "{\"fault\":\"error\"}");
        HttpResponse<String> badTimes = send("POST", "/__pledge/faults",
                "{\"cloud\":\"aws\",\"fault\":\"error\",\"times\":0}");
        HttpResponse<String> noDelay = send("POST", "/__pledge/faults", "{\"cloud\":\"aws\",\"fault\":\"delay\"}");

        assertThat(unknownFault.statusCode()).isEqualTo(400);
        assertThat(unknownFault.body()).contains("fault: unknown 'explode'", "reset-after-commit");
        assertThat(noCloud.statusCode()).isEqualTo(400);
        assertThat(noCloud.body()).contains("cloud: is required");
        assertThat(badTimes.body()).contains("times: must be at least 1");
        assertThat(noDelay.body()).contains("delayMs: is required");
        assertThat(send("GET", "/__pledge/faults", null).body().replaceAll("\\s", "")).isEqualTo("[]");
    }

    @Test
    void armed_faults_are_listed_with_their_remaining_count_and_cleared() throws Exception {
        control.inject(FaultSpec.error(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering", 3, 503,
                "ServiceUnavailable"));

        String listed = send("GET", "/__pledge/faults", null).body();
        control.clearFaults();

        assertThat(listed).contains("\"operation\" : \"PurchaseReservedDBInstancesOffering\"", "\"times\" : 3",
                "\"status\" : 503", "\"code\" : \"ServiceUnavailable\"");
        assertThat(send("GET", "/__pledge/faults", null).body().replaceAll("\\s", "")).isEqualTo("[]");
    }

    @Test
    void placed_commitments_are_listed_with_every_field_and_reset_forgets_them() {
        Offering offering = control.offerings(Cloud.AWS, "aws-rds", "us-east-1").get(0);
        Instant created = Instant.parse("2026-01-02T03:04:05Z");
        control.addCommitment(new Commitment(Cloud.AWS, "aws-rds", "123456789012", "us-east-1", "ri-1", "pledge-k1",
                offering, 2, Map.of("pledge:item-token", "pledge-k1"), created, "active", Map.of()));

        Commitment listed = control.commitments(Cloud.AWS, "aws-rds").get(0);
        control.reset();

        assertThat(listed.id()).isEqualTo("ri-1");
        assertThat(listed.key()).isEqualTo("pledge-k1");
        assertThat(listed.account()).isEqualTo("123456789012");
        assertThat(listed.offering().offeringId()).isEqualTo(offering.offeringId());
        assertThat(listed.quantity()).isEqualTo(2);
        assertThat(listed.tags()).containsEntry("pledge:item-token", "pledge-k1");
        assertThat(listed.createdAt()).isEqualTo(created);
        assertThat(control.commitments()).isEmpty();
    }

    @Test
    void an_added_offering_is_sold_until_reset_puts_the_seeded_catalog_back() {
        int seeded = control.offerings().size();
        control.addOffering(new Offering(Cloud.AWS, "aws-rds", "ap-south-1", "custom-1", "db.x2g.large", "1y",
                "no-upfront", "mysql", "USD", BigDecimal.ZERO, new BigDecimal("0.5"), Map.of()));

        assertThat(control.offerings(Cloud.AWS, "aws-rds", "ap-south-1")).singleElement()
                .satisfies(o -> assertThat(o.hourly()).isEqualByComparingTo("0.5"));
        control.reset();
        assertThat(control.offerings()).hasSize(seeded);
        assertThat(seeded).isGreaterThan(100);
    }

    @Test
    void an_unknown_control_route_or_cloud_request_is_a_404_that_says_so() throws Exception {
        HttpResponse<String> route = send("GET", "/__pledge/nothing", null);
        HttpResponse<String> cloud = send("POST", "/unknown-api", "{}");

        assertThat(route.statusCode()).isEqualTo(404);
        assertThat(route.body()).contains("no control route GET /nothing");
        assertThat(cloud.statusCode()).isEqualTo(404);
        assertThat(cloud.body()).contains("no emulated API recognises POST /unknown-api");
    }

    @Test
    void latency_is_set_and_read_back_through_the_control_api() {
        control.setLatency(Duration.ofMillis(15));

        assertThat(emulator.latency()).isEqualTo(Duration.ofMillis(15));
        control.setLatency(Duration.ZERO);
        assertThat(emulator.latency()).isZero();
        assertThatThrownBy(() -> emulator.setLatency(Duration.ofMillis(-1))).hasMessageContaining("latency");
    }

    @Test
    void a_catalog_read_from_the_offerings_json_seeds_an_emulator_with_exactly_those_offerings() throws Exception {
        String json = send("GET", "/__pledge/offerings?type=aws-redshift&region=eu-west-1", null).body();

        List<Offering> read = Emulator.readOfferings(json);
        try (Emulator small = Emulator.builder().offerings(read).build().start()) {
            assertThat(small.client().offerings()).hasSize(read.size()).allSatisfy(o -> {
                assertThat(o.type()).isEqualTo("aws-redshift");
                assertThat(o.region()).isEqualTo("eu-west-1");
            });
        }
        assertThat(read).hasSize(18);
        assertThatThrownBy(() -> Emulator.readOfferings("[{\"cloud\":\"aws\",\"type\":\"aws-rds\"}]"))
                .hasMessageStartingWith("region:");
    }
}
