package dev.pledge.gcp;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.ProviderSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pledge.gcp.GcpFixtures.PROJECT;
import static dev.pledge.gcp.GcpFixtures.REGION;
import static dev.pledge.gcp.GcpFixtures.commitment;
import static dev.pledge.gcp.GcpFixtures.freshContext;
import static dev.pledge.gcp.GcpFixtures.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Compute commitment executor's real client against WireMock: the request sent and the parsing of recorded answers. */
class ComputeCommitmentExecutorTest {
    private static final String BASE = "/compute/v1/projects/" + PROJECT + "/regions/" + REGION;
    private static final String COMMITMENTS = BASE + "/commitments";
    private static final String OPERATION = BASE + "/operations/operation-1763906400000-5f1a2b3c4d5e6-7a8b9c0d-1e2f3a4b";
    private static WireMockServer compute;
    private static ComputeCommitmentExecutor executor;
    /** Gives up polling after 500 ms, for the poll-timeout test; the others wait long enough for a loaded machine. */
    private static ComputeCommitmentExecutor impatientExecutor;
    private static RegionCommitmentsClients clients;

    @BeforeAll
    static void startCompute() {
        compute = new WireMockServer(options().dynamicPort());
        compute.start();
        ProviderSettings settings = ProviderSettings.emulator(URI.create(compute.baseUrl()))
                .withPolling(Duration.ofMillis(20), Duration.ofSeconds(20));
        clients = new RegionCommitmentsClients(settings);
        executor = new ComputeCommitmentExecutor(clients, settings);
        ProviderSettings impatient = settings.withPolling(Duration.ofMillis(20), Duration.ofMillis(500));
        impatientExecutor = new ComputeCommitmentExecutor(new RegionCommitmentsClients(impatient), impatient);
    }

    @AfterAll
    static void stopCompute() {
        executor.close();
        impatientExecutor.close();
        compute.stop();
    }

    @BeforeEach
    void forgetStubs() {
        compute.resetAll();
    }

    private void commitmentAbsent(String name) {
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(recorded("error-not-found.json", name))));
    }

    private void insertAnswers(String name, String operationFixture) {
        compute.stubFor(post(urlPathEqualTo(COMMITMENTS)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(recorded(operationFixture, name))));
    }

    @Test
    void an_insert_sends_the_name_request_id_plan_and_resources_and_polls_the_operation_to_done() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        commitmentAbsent(name);
        insertAnswers(name, "operation-running.json");
        compute.stubFor(get(urlPathEqualTo(OPERATION)).inScenario("op").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("done").willReturn(aResponse().withBody(recorded("operation-running.json", name))));
        compute.stubFor(get(urlPathEqualTo(OPERATION)).inScenario("op").whenScenarioStateIs("done")
                .willReturn(aResponse().withBody(recorded("operation-done.json", name))));

        PurchaseOutcome outcome = executor.purchase(commitment(Map.of("vcpus", "8", "memoryMb", "32768",
                "localSsdGb", "375", "acceleratorType", "nvidia-tesla-t4", "acceleratorCount", "2")), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.commitmentId()).isEqualTo("projects/" + PROJECT + "/regions/" + REGION + "/commitments/" + name);
        assertThat(name).matches("pledge-[0-9a-f]{48}");
        compute.verify(1, postRequestedFor(urlPathEqualTo(COMMITMENTS))
                .withQueryParam("requestId", equalTo(KeyDerivation.uuid(ctx.keySource()).toString()))
                .withRequestBody(equalToJson("""
                        {"name":"%s","plan":"TWELVE_MONTH","type":"GENERAL_PURPOSE_N2","category":"MACHINE","autoRenew":false,
                         "description":"Bought by Pledge for execution exec-gcp-test",
                         "resources":[{"type":"VCPU","amount":"8"},{"type":"MEMORY","amount":"32768"},
                                      {"type":"LOCAL_SSD","amount":"375"},
                                      {"type":"ACCELERATOR","acceleratorType":"nvidia-tesla-t4","amount":"2"}]}
                        """.formatted(name), true, false)));
        compute.verify(1, getRequestedFor(urlPathEqualTo(COMMITMENTS + "/" + name)));
        compute.verify(2, getRequestedFor(urlPathEqualTo(OPERATION)));
    }

    @Test
    void the_guard_finding_our_active_commitment_returns_already_owned_and_inserts_nothing() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name))
                .willReturn(aResponse().withBody(recorded("commitment-active.json", name))));

        PurchaseOutcome outcome = executor.purchase(commitment(), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        compute.verify(0, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
    }

    @Test
    void an_existing_commitment_of_another_size_is_a_key_conflict() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name))
                .willReturn(aResponse().withBody(recorded("commitment-active.json", name))));

        assertThatThrownBy(() -> executor.purchase(commitment(Map.of("vcpus", "16", "memoryMb", "32768")), ctx))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("8 vCPUs, not 16");
        compute.verify(0, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
    }

    @Test
    void a_409_already_exists_on_the_insert_arrives_as_aborted_and_is_confirmed_and_recovered() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name)).inScenario("exists")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("inserted").willReturn(aResponse().withStatus(404)
                        .withBody(recorded("error-not-found.json", name))));
        compute.stubFor(post(urlPathEqualTo(COMMITMENTS)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json").withBody(recorded("error-already-exists.json", name))));
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name)).inScenario("exists").whenScenarioStateIs("inserted")
                .willReturn(aResponse().withBody(recorded("commitment-active.json", name))));

        PurchaseOutcome outcome = executor.purchase(commitment(), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        compute.verify(1, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
        compute.verify(2, getRequestedFor(urlPathEqualTo(COMMITMENTS + "/" + name)));
    }

    @Test
    void an_operation_that_ends_in_409_already_exists_is_confirmed_and_recovered() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name)).inScenario("exists")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("inserted").willReturn(aResponse().withStatus(404)
                        .withBody(recorded("error-not-found.json", name))));
        insertAnswers(name, "operation-running.json");
        compute.stubFor(get(urlPathEqualTo(OPERATION))
                .willReturn(aResponse().withBody(recorded("operation-done-already-exists.json", name))));
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name)).inScenario("exists").whenScenarioStateIs("inserted")
                .willReturn(aResponse().withBody(recorded("commitment-active.json", name))));

        PurchaseOutcome outcome = executor.purchase(commitment(), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        compute.verify(1, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
    }

    @Test
    void an_operation_still_running_at_the_poll_timeout_is_an_unknown_outcome() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        commitmentAbsent(name);
        insertAnswers(name, "operation-running.json");
        compute.stubFor(get(urlPathEqualTo(OPERATION))
                .willReturn(aResponse().withBody(recorded("operation-running.json", name))));

        assertThatThrownBy(() -> impatientExecutor.purchase(commitment(), ctx))
                .isInstanceOfSatisfying(OutcomeUnknownException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN))
                .hasMessageContaining("had not finished");
        assertThat(compute.findAll(getRequestedFor(urlPathEqualTo(OPERATION)))).as("polls").isNotEmpty();
    }

    @Test
    void an_operation_that_ends_with_a_400_error_is_a_rejection() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        commitmentAbsent(name);
        insertAnswers(name, "operation-running.json");
        compute.stubFor(get(urlPathEqualTo(OPERATION))
                .willReturn(aResponse().withBody(recorded("operation-done-invalid.json", name))));

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx))
                .isInstanceOfSatisfying(PurchaseException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.REJECTED));
    }

    @ParameterizedTest(name = "operations.get answering {0}")
    @CsvSource({"403", "404", "500"})
    void a_failing_poll_after_the_insert_was_accepted_is_an_unknown_outcome_not_a_rejection(int status) {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        commitmentAbsent(name);
        insertAnswers(name, "operation-running.json");
        compute.stubFor(get(urlPathEqualTo(OPERATION)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":" + status + ",\"message\":\"recorded " + status + "\"}}")));

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx))
                .isInstanceOfSatisfying(PurchaseException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN));
        compute.verify(1, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
    }

    @Test
    void a_connection_reset_on_the_insert_is_an_unknown_outcome() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        commitmentAbsent(name);
        compute.stubFor(post(urlPathEqualTo(COMMITMENTS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx)).isInstanceOf(OutcomeUnknownException.class);
        compute.verify(1, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"400, REJECTED", "403, REJECTED", "429, TRANSIENT", "500, OUTCOME_UNKNOWN", "503, OUTCOME_UNKNOWN"})
    void an_http_error_on_the_insert_is_mapped_to_a_failure_kind(int status, FailureKind kind) {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        commitmentAbsent(name);
        compute.stubFor(post(urlPathEqualTo(COMMITMENTS)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":" + status + ",\"message\":\"recorded " + status + "\"}}")));

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx))
                .isInstanceOfSatisfying(PurchaseException.class, e -> assertThat(e.kind()).isEqualTo(kind));
        compute.verify(1, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
    }

    @Test
    void a_failing_guard_lookup_refuses_and_inserts_nothing() {
        PurchaseContext ctx = freshContext();
        String name = ComputeCommitmentExecutor.name(ctx);
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS + "/" + name)).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx)).isInstanceOf(GuardUndecidedException.class);
        compute.verify(0, postRequestedFor(urlPathEqualTo(COMMITMENTS)));
    }

    @Test
    void the_one_off_mode_sends_no_guard_lookup() {
        PurchaseContext ctx = PurchaseContext.oneOff(Clock.systemUTC());
        String name = ComputeCommitmentExecutor.name(ctx);
        insertAnswers(name, "operation-done.json");

        assertThat(executor.purchase(commitment(), ctx).kind()).isEqualTo(OutcomeKind.BOUGHT);
        compute.verify(0, getRequestedFor(urlPathEqualTo(COMMITMENTS + "/" + name)));
        compute.verify(postRequestedFor(urlPathEqualTo(COMMITMENTS))
                .withRequestBody(equalToJson("{\"description\":\"Bought by Pledge (one-off)\"}", true, true)));
    }

    @ParameterizedTest(name = "{0}={1} is refused naming {2}")
    @CsvSource({
            "vcpus, many, attributes.vcpus",
            "vcpus, 0, attributes.vcpus",
            "memoryMb, -5, attributes.memoryMb",
            "acceleratorType, nvidia-tesla-t4, attributes.acceleratorCount",
            "autoRenew, maybe, attributes.autoRenew",
            "vcpu, 4, attributes.vcpu"})
    void bad_attributes_are_refused_naming_the_attribute_and_nothing_is_sent(String key, String value, String field) {
        Map<String, String> attributes = new HashMap<>(Map.of("vcpus", "8", "memoryMb", "32768"));
        attributes.put(key, value);

        assertThatThrownBy(() -> executor.purchase(commitment(attributes), freshContext()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
        assertThat(compute.getAllServeEvents()).isEmpty();
    }

    @Test
    void a_missing_memory_amount_is_refused_naming_it() {
        assertThatThrownBy(() -> executor.validate(commitment(Map.of("vcpus", "8"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("attributes.memoryMb"));
    }

    @Test
    void an_unknown_commitment_type_or_project_is_refused_naming_the_field() {
        var badType = new dev.pledge.common.model.CommitmentRequest(dev.pledge.common.model.CommitmentType.GCP_COMPUTE,
                PROJECT, REGION, "GENERAL_PURPOSE_Z9", 1, dev.pledge.common.model.Term.THREE_YEARS, null,
                Map.of("vcpus", "8", "memoryMb", "32768"));
        var badProject = new dev.pledge.common.model.CommitmentRequest(dev.pledge.common.model.CommitmentType.GCP_COMPUTE,
                "Bad_Project", REGION, "GENERAL_PURPOSE_N2", 1, dev.pledge.common.model.Term.THREE_YEARS, null,
                Map.of("vcpus", "8", "memoryMb", "32768"));

        assertThatThrownBy(() -> executor.validate(badType))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("offering"));
        assertThatThrownBy(() -> executor.validate(badProject))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("account"));
    }

    @Test
    void recent_purchases_keep_the_same_type_created_since_the_instant() {
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS))
                .willReturn(aResponse().withBody(recorded("commitments-list.json", null))));

        List<ExistingCommitment> recent = executor.recentPurchases(commitment(), Instant.parse("2026-11-23T00:00:00Z"));

        assertThat(recent).extracting(ExistingCommitment::key).containsExactly("pledge-recent");
        assertThat(recent.get(0).purchasedAt()).isEqualTo(Instant.parse("2026-11-23T14:00:00Z"));
    }

    @Test
    void a_failing_recent_purchase_lookup_fails_closed() {
        compute.stubFor(get(urlPathEqualTo(COMMITMENTS)).willReturn(aResponse().withStatus(403)));

        assertThatThrownBy(() -> executor.recentPurchases(commitment(), Instant.EPOCH))
                .isInstanceOf(GuardUndecidedException.class);
    }

    @Test
    void clients_are_built_once_per_project() {
        int before = clients.cachedProjects();
        clients.forProject("pledge-project-aaa");
        clients.forProject("pledge-project-aaa");
        clients.forProject("pledge-project-bbb");

        assertThat(clients.cachedProjects() - before).isEqualTo(2);
        assertThat(clients.forProject("pledge-project-aaa")).isSameAs(clients.forProject("pledge-project-aaa"));
    }

    @Test
    void a_project_whose_credentials_were_replaced_gets_a_new_client() {
        var first = clients.forProject("pledge-project-ccc");

        executor.forgetAccount("pledge-project-ccc");

        assertThat(clients.forProject("pledge-project-ccc")).isNotSameAs(first);
    }
}
