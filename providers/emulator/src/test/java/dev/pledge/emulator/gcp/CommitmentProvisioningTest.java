package dev.pledge.emulator.gcp;

import com.github.tomakehurst.wiremock.common.Json;
import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compute commitments advance with time, as in GCP: a get of the commitment (what a guard or a
 * confirmation reads) shows where it stands without anyone polling the insert's operation.
 */
class CommitmentProvisioningTest {
    private static final String BASE = "/compute/v1/projects/pledge-demo-project/regions/europe-west1";
    private static final String REQUEST_1 = "3fc891a0-01e7-5e91-a278-a8ced6bd3961";
    private static Emulator emulator;
    private static EmulatorClient control;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().apis(List.of(new RegionCommitmentsApi())).build().start();
        control = emulator.client();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    @Test
    void a_get_of_the_commitment_shows_it_created_once_provisioned_without_any_poll_of_its_operation() {
        assertThat(json(insert("pledge-time-1"))).containsEntry("status", "RUNNING");

        assertThat(json(send("GET", BASE + "/commitments/pledge-time-1"))).containsEntry("status", "NOT_YET_ACTIVE");
        assertThat(control.commitments(Cloud.GCP, "gcp-compute")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("NOT_YET_ACTIVE"));
    }

    @Test
    void a_commitment_is_creating_for_its_provisioning_time_and_its_operation_running_then_both_are_done() {
        offering(Map.of("provisioningMs", "600000"));
        String op = BASE + "/operations/" + json(insert("pledge-time-2")).get("name");

        assertThat(json(send("GET", BASE + "/commitments/pledge-time-2"))).containsEntry("status", "CREATING");
        assertThat(json(send("GET", op))).containsEntry("status", "RUNNING");

        control.advanceClock(Duration.ofMinutes(10));

        assertThat(json(send("GET", BASE + "/commitments/pledge-time-2"))).containsEntry("status", "NOT_YET_ACTIVE");
        assertThat(json(send("GET", op))).containsEntry("status", "DONE").doesNotContainKey("error");
    }

    @Test
    void a_commitment_whose_offering_fails_after_provisioning_reads_cancelled_and_its_operation_ends_with_an_error() {
        offering(Map.of("provisioningMs", "600000", "provisioningOutcome", "fail"));
        String op = BASE + "/operations/" + json(insert("pledge-time-3")).get("name");

        control.advanceClock(Duration.ofMinutes(10));

        Map<String, Object> got = json(send("GET", BASE + "/commitments/pledge-time-3"));
        assertThat(got).containsEntry("status", "CANCELLED");
        assertThat(String.valueOf(got.get("statusMessage"))).contains("could not be created");
        Map<String, Object> done = json(send("GET", op));
        assertThat(done).containsEntry("status", "DONE");
        assertThat(done.get("error")).asString().contains("COMMITMENT_CREATION_FAILED");
        assertThat(control.commitments(Cloud.GCP, "gcp-compute")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("CANCELLED"));
    }

    // ---- plumbing ----

    private static void offering(Map<String, String> more) {
        Offering n2 = control.offerings(Cloud.GCP, "gcp-compute", "europe-west1").stream()
                .filter(o -> o.product().equals("GENERAL_PURPOSE_N2") && o.term().equals("1y")).findFirst().orElseThrow();
        Map<String, String> attributes = new LinkedHashMap<>(n2.attributes());
        attributes.putAll(more);
        control.addOffering(new Offering(n2.cloud(), n2.type(), n2.region(), n2.offeringId(), n2.product(), n2.term(),
                n2.payment(), n2.description(), n2.currency(), n2.upfront(), n2.hourly(), attributes));
    }

    private HttpResponse<String> insert(String name) {
        String body = """
                {"name":"%s","plan":"TWELVE_MONTH","type":"GENERAL_PURPOSE_N2","category":"MACHINE",
                 "resources":[{"type":"VCPU","amount":"8"},{"type":"MEMORY","amount":"32768"}]}""".formatted(name);
        return send(HttpRequest.newBuilder(emulator.baseUrl().resolve(BASE + "/commitments?requestId=" + REQUEST_1))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(String method, String path) {
        return send(HttpRequest.newBuilder(emulator.baseUrl().resolve(path)).method(method,
                HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return r.body().isBlank() ? Map.of() : Json.read(r.body(), Map.class);
    }
}
