package dev.pledge.emulator.gcp;

import com.github.tomakehurst.wiremock.common.Json;
import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Compute commitments plug-in over real HTTP: inserts, operations, requestId replays and name conflicts. */
class RegionCommitmentsApiTest {
    private static final String BASE = "/compute/v1/projects/pledge-demo-project/regions/europe-west1";
    private static final String REQUEST_1 = "3fc891a0-01e7-5e91-a278-a8ced6bd3961";
    private static final String REQUEST_2 = "70f56410-e772-5463-b9f3-8f4fc899dd71";
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

    static String commitment(String name, String type) {
        return """
                {"name":"%s","plan":"TWELVE_MONTH","type":"%s","category":"MACHINE",
                 "resources":[{"type":"VCPU","amount":"8"},{"type":"MEMORY","amount":"32768"}]}""".formatted(name, type);
    }

    @Test
    void an_insert_answers_a_running_operation_that_is_done_once_provisioned_and_holds_one_commitment() {
        Map<String, Object> op = json(insert(REQUEST_1, commitment("pledge-one", "GENERAL_PURPOSE_N2")));
        String opPath = BASE + "/operations/" + op.get("name");

        assertThat(op).containsEntry("status", "RUNNING").containsEntry("operationType", "insert");
        assertThat(json(send("GET", opPath, null))).containsEntry("status", "DONE").doesNotContainKey("error");
        Map<String, Object> got = json(send("GET", BASE + "/commitments/pledge-one", null));
        assertThat(got).containsEntry("status", "NOT_YET_ACTIVE").containsEntry("plan", "TWELVE_MONTH")
                .containsEntry("type", "GENERAL_PURPOSE_N2");
        assertThat(got.get("resources")).asString().contains("VCPU").contains("32768");
        assertThat(control.commitments(Cloud.GCP, "gcp-compute")).singleElement()
                .satisfies(c -> assertThat(c.key()).isEqualTo("pledge-one"));
    }

    @Test
    void the_same_request_id_again_returns_the_same_operation_without_buying() {
        Map<String, Object> first = json(insert(REQUEST_1, commitment("pledge-two", "GENERAL_PURPOSE_N2")));
        Map<String, Object> again = json(insert(REQUEST_1, commitment("pledge-two", "GENERAL_PURPOSE_N2")));

        assertThat(again.get("name")).isEqualTo(first.get("name"));
        assertThat(again).doesNotContainKey("error");
        assertThat(control.commitments(Cloud.GCP, "gcp-compute")).hasSize(1);
        assertThat(control.requestCount(Cloud.GCP, "gcp-compute", CallKind.PURCHASE)).isEqualTo(2);
    }

    @Test
    void the_same_name_with_another_request_id_fails_the_operation_with_409_already_exists() {
        insert(REQUEST_1, commitment("pledge-three", "GENERAL_PURPOSE_N2"));
        Map<String, Object> other = json(insert(REQUEST_2, commitment("pledge-three", "GENERAL_PURPOSE_N2")));

        assertThat(other).containsEntry("status", "RUNNING");
        Map<String, Object> polled = json(send("GET", BASE + "/operations/" + other.get("name"), null));
        assertThat(polled).containsEntry("status", "DONE").containsEntry("httpErrorStatusCode", 409);
        assertThat(polled.get("error")).asString().contains("RESOURCE_ALREADY_EXISTS");
        assertThat(control.commitments(Cloud.GCP, "gcp-compute")).hasSize(1);
    }

    @Test
    void an_offering_can_keep_its_operations_running_for_a_poll_timeout() {
        Offering n2 = control.offerings(Cloud.GCP, "gcp-compute", "europe-west1").stream()
                .filter(o -> o.product().equals("GENERAL_PURPOSE_N2") && o.term().equals("1y")).findFirst().orElseThrow();
        control.addOffering(new Offering(n2.cloud(), n2.type(), n2.region(), n2.offeringId(), n2.product(), n2.term(),
                n2.payment(), n2.description(), n2.currency(), n2.upfront(), n2.hourly(), Map.of("operationPolls", "1000")));
        String opPath = BASE + "/operations/" + json(insert(REQUEST_1, commitment("pledge-slow", "GENERAL_PURPOSE_N2")))
                .get("name");

        for (int i = 0; i < 5; i++) {
            assertThat(json(send("GET", opPath, null))).containsEntry("status", "RUNNING");
        }
    }

    @Test
    void a_zero_request_id_and_a_bad_name_are_400_and_buy_nothing() {
        HttpResponse<String> zero = insert("00000000-0000-0000-0000-000000000000", commitment("pledge-four", "GENERAL_PURPOSE_N2"));
        HttpResponse<String> badName = insert(REQUEST_1, commitment("Pledge_Four", "GENERAL_PURPOSE_N2"));

        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(zero.body()).contains("requestId");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("resource.name");
        assertThat(control.commitments()).isEmpty();
    }

    @Test
    void a_commitment_without_memory_is_400() {
        HttpResponse<String> r = insert(REQUEST_1, """
                {"name":"pledge-five","plan":"TWELVE_MONTH","type":"GENERAL_PURPOSE_N2",
                 "resources":[{"type":"VCPU","amount":"8"}]}""");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("MEMORY");
    }

    @Test
    void an_unknown_commitment_is_404_not_found_in_googles_error_shape() {
        HttpResponse<String> r = send("GET", BASE + "/commitments/pledge-nothing", null);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"reason\" : \"notFound\"").contains("\"code\" : 404");
    }

    @Test
    void list_returns_the_commitments_of_the_project_and_region_only() {
        insert(REQUEST_1, commitment("pledge-six", "GENERAL_PURPOSE_N2"));
        insert(REQUEST_2, commitment("pledge-seven", "COMPUTE_OPTIMIZED_C2D"));

        Map<String, Object> list = json(send("GET", BASE + "/commitments", null));
        Map<String, Object> otherRegion = json(send("GET",
                "/compute/v1/projects/pledge-demo-project/regions/us-east1/commitments", null));

        assertThat(list.get("items")).asList().hasSize(2);
        assertThat(otherRegion.get("items")).asList().isEmpty();
    }

    @Test
    void a_reset_after_commit_fault_loses_the_answer_but_keeps_the_commitment() {
        emulator.inject(FaultSpec.of(Cloud.GCP, "gcp-compute", "RegionCommitments.insert", FaultKind.RESET_AFTER_COMMIT, 1));

        assertThatThrownBy(() -> http.send(request("POST", BASE + "/commitments?requestId=" + REQUEST_1,
                commitment("pledge-eight", "GENERAL_PURPOSE_N2")), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(send("GET", BASE + "/commitments/pledge-eight", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_throttle_fault_answers_429_rate_limit_exceeded_and_buys_nothing() {
        emulator.inject(FaultSpec.of(Cloud.GCP, "gcp-compute", "RegionCommitments.insert", FaultKind.THROTTLE, 1));

        HttpResponse<String> r = insert(REQUEST_1, commitment("pledge-nine", "GENERAL_PURPOSE_N2"));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("rateLimitExceeded");
        assertThat(control.commitments()).isEmpty();
    }

    // ---- plumbing ----

    private HttpResponse<String> insert(String requestId, String body) {
        return send("POST", BASE + "/commitments?requestId=" + requestId, body);
    }

    private HttpRequest request(String method, String pathAndQuery, String body) {
        return HttpRequest.newBuilder(emulator.baseUrl().resolve(pathAndQuery)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body) {
        try {
            return http.send(request(method, pathAndQuery, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return Json.read(r.body(), Map.class);
    }
}
