package dev.pledge.azure;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;
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
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pledge.azure.AzureFixtures.freshContext;
import static dev.pledge.azure.AzureFixtures.recorded;
import static dev.pledge.azure.AzureFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reservation executor against WireMock: the request sent, and the parsing of recorded ARM answers. */
class ReservationOrderAliasExecutorTest {
    private static final String ALIASES = "/providers/Microsoft.BillingBenefits/reservationOrderAliases/";
    private static WireMockServer arm;
    private static CommitmentExecutor executor;
    /** Gives up polling after 500 ms, for the poll-timeout test; the others wait long enough for a loaded machine. */
    private static CommitmentExecutor impatientExecutor;
    private static ArmConnections connections;

    @BeforeAll
    static void startArm() {
        arm = new WireMockServer(options().dynamicPort());
        arm.start();
        ProviderSettings settings = ProviderSettings.emulator(URI.create(arm.baseUrl()))
                .withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        connections = new ArmConnections(settings);
        executor = new ReservationOrderAliasExecutor(connections, settings);
        ProviderSettings impatient = settings.withPolling(Duration.ofMillis(10), Duration.ofMillis(500));
        impatientExecutor = new ReservationOrderAliasExecutor(new ArmConnections(impatient), impatient);
    }

    @AfterAll
    static void stopArm() {
        arm.stop();
    }

    @BeforeEach
    void forgetStubs() {
        arm.resetAll();
    }

    @Test
    void a_new_alias_is_put_with_the_request_fields_and_followed_to_the_bought_order() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"not found\"}}")));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withHeader("Azure-AsyncOperation", arm.baseUrl() + "/providers/Microsoft.BillingBenefits/operations/op-1?api-version=2022-11-01")
                .withHeader("Location", arm.baseUrl() + "/providers/Microsoft.BillingBenefits/operationResults/op-1?api-version=2022-11-01")
                .withBody(recorded("reservation-alias-created.json", alias))));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operations/op-1"))
                .inScenario("order").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
                .willReturn(aResponse().withBody(recorded("operation-in-progress.json", alias))));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operations/op-1"))
                .inScenario("order").whenScenarioStateIs("done")
                .willReturn(aResponse().withBody(recorded("operation-succeeded.json", alias))));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operationResults/op-1"))
                .willReturn(aResponse().withBody(recorded("reservation-alias-succeeded.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of("instanceFlexibility", "on",
                "displayName", "web tier")), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.commitmentId())
                .isEqualTo("/providers/Microsoft.Capacity/reservationOrders/9c3a1e52-6a7b-4c1f-9a43-1f2b3c4d5e6f");
        assertThat(outcome.key()).isEqualTo(alias).startsWith("pledge-").hasSize(50);
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias))
                .withQueryParam("api-version", equalTo("2022-11-01"))
                .withHeader("Authorization", equalTo("Bearer " + EmulatorBearerPolicy.TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"sku":{"name":"Standard_D2s_v3"},"location":"westeurope",
                         "properties":{"displayName":"web tier",
                           "billingScopeId":"/subscriptions/11111111-2222-3333-4444-555555555555",
                           "term":"P1Y","billingPlan":"P1M","appliedScopeType":"Shared","quantity":3,"renew":false,
                           "reservedResourceType":"VirtualMachines",
                           "reservedResourceProperties":{"instanceFlexibility":"On"}}}""")));
        arm.verify(1, getRequestedFor(urlPathEqualTo(ALIASES + alias)));
        arm.verify(2, getRequestedFor(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operations/op-1")));
        arm.verify(1, getRequestedFor(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operationResults/op-1")));
    }

    @Test
    void a_conflict_whose_read_back_lags_is_an_unknown_outcome_and_the_redrive_guard_owns_the_order() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        // guard: not there; PUT: 409 (it exists); read-back: still not there (lagging); re-drive guard: there.
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("lag").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("lagging").willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json").withBody(recorded("error-conflict.json", alias))));
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("lag").whenScenarioStateIs("lagging")
                .willSetStateTo("visible").willReturn(aResponse().withStatus(404)));
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("lag").whenScenarioStateIs("visible")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(recorded("reservation-alias-succeeded.json", alias))));

        assertThatThrownBy(() -> executor.purchase(reservation(Map.of()), ctx))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("may have been bought");
        PurchaseOutcome redrive = executor.purchase(reservation(Map.of()), ctx);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(redrive.commitmentId()).endsWith("/reservationOrders/9c3a1e52-6a7b-4c1f-9a43-1f2b3c4d5e6f");
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
        arm.verify(3, getRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void an_operation_whose_result_names_no_order_is_read_back_so_bought_reports_the_order_id() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("readback").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("bought").willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(202)
                .withHeader("Location", arm.baseUrl() + "/providers/Microsoft.BillingBenefits/operationResults/op-2")));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operationResults/op-2"))
                .willReturn(aResponse().withStatus(204)));
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("readback").whenScenarioStateIs("bought")
                .willReturn(aResponse().withBody(recorded("reservation-alias-succeeded.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.commitmentId()).endsWith("/reservationOrders/9c3a1e52-6a7b-4c1f-9a43-1f2b3c4d5e6f");
        arm.verify(2, getRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void the_guard_finding_a_succeeded_alias_returns_it_as_already_owned_and_sends_no_put() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias))
                .willReturn(aResponse().withBody(recorded("reservation-alias-succeeded.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(outcome.commitmentId()).endsWith("/reservationOrders/9c3a1e52-6a7b-4c1f-9a43-1f2b3c4d5e6f");
        arm.verify(1, getRequestedFor(urlPathEqualTo(ALIASES + alias))
                .withQueryParam("api-version", equalTo("2022-11-01")));
        arm.verify(0, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void the_guard_finding_an_in_progress_alias_counts_it_as_owned() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias))
                .willReturn(aResponse().withBody(recorded("reservation-alias-created.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(outcome.confirming()).as("an order not yet Succeeded is followed to its end").isTrue();
        arm.verify(0, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void an_alias_holding_another_sku_is_a_key_conflict_and_nothing_is_bought() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse()
                .withBody(recorded("reservation-alias-succeeded.json", alias).replace("Standard_D2s_v3", "Standard_E8s_v5"))));

        assertThatThrownBy(() -> executor.purchase(reservation(Map.of()), ctx))
                .isInstanceOf(KeyConflictException.class)
                .hasMessageContaining("Standard_E8s_v5");
        arm.verify(0, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void a_409_conflict_on_the_put_is_read_back_confirmed_and_recovered() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("conflict").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("put").willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(409)
                .withBody(recorded("error-conflict.json", alias))));
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("conflict").whenScenarioStateIs("put")
                .willReturn(aResponse().withBody(recorded("reservation-alias-succeeded.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        assertThat(outcome.commitmentId()).endsWith("/reservationOrders/9c3a1e52-6a7b-4c1f-9a43-1f2b3c4d5e6f");
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
        arm.verify(2, getRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void a_conflict_whose_read_back_shows_a_state_pledge_does_not_know_is_an_unknown_outcome_not_nothing_bought() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("odd").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("put").willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(409)
                .withBody(recorded("error-conflict.json", alias))));
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("odd").whenScenarioStateIs("put")
                .willReturn(aResponse().withBody(recorded("reservation-alias-succeeded.json", alias)
                        .replace("\"Succeeded\"", "\"Migrating\""))));

        assertThatThrownBy(() -> executor.purchase(reservation(Map.of()), ctx))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("Migrating").hasMessageContaining("may hold an order");
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void a_409_whose_read_back_shows_an_in_progress_order_is_recovered_and_confirming() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("creating").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("put").willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(409)
                .withBody(recorded("error-conflict.json", alias))));
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("creating").whenScenarioStateIs("put")
                .willReturn(aResponse().withBody(recorded("reservation-alias-created.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        assertThat(outcome.confirming()).isTrue();
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void a_200_answering_with_the_existing_order_is_read_back_and_recovered() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("existing").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("put").willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(200)
                .withBody(recorded("reservation-alias-succeeded.json", alias))));
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).inScenario("existing").whenScenarioStateIs("put")
                .willReturn(aResponse().withBody(recorded("reservation-alias-succeeded.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void an_order_still_in_progress_at_the_poll_timeout_is_an_unknown_outcome() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(202)
                .withHeader("Azure-AsyncOperation", arm.baseUrl() + "/providers/Microsoft.BillingBenefits/operations/op-1")
                .withBody(recorded("reservation-alias-created.json", alias))));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operations/op-1"))
                .willReturn(aResponse().withBody(recorded("operation-in-progress.json", alias))));

        assertThatThrownBy(() -> impatientExecutor.purchase(reservation(Map.of()), ctx))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("had not finished");
        assertThat(arm.findAll(getRequestedFor(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operations/op-1"))))
                .as("polls before giving up").isNotEmpty();
    }

    @Test
    void an_operation_that_fails_is_a_rejection_carrying_azures_code() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(201)
                .withHeader("Azure-AsyncOperation", arm.baseUrl() + "/providers/Microsoft.BillingBenefits/operations/op-1")
                .withBody(recorded("reservation-alias-created.json", alias))));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operations/op-1"))
                .willReturn(aResponse().withBody(recorded("operation-failed.json", alias))));

        assertThatThrownBy(() -> executor.purchase(reservation(Map.of()), ctx))
                .isInstanceOfSatisfying(PurchaseRejectedException.class,
                        e -> assertThat(e.cloudCode()).isEqualTo("BillingAccountNotEligible"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "400, InvalidSku, REJECTED",
            "403, AuthorizationFailed, REJECTED",
            "429, TooManyRequests, TRANSIENT",
            "408, RequestTimeout, OUTCOME_UNKNOWN",
            "500, InternalServerError, OUTCOME_UNKNOWN",
            "503, ServiceUnavailable, OUTCOME_UNKNOWN"})
    void an_arm_error_on_the_put_is_mapped_by_its_code(int status, String code, FailureKind kind) {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(status)
                .withBody("{\"error\":{\"code\":\"" + code + "\",\"message\":\"recorded " + code + "\"}}")));

        assertThatThrownBy(() -> executor.purchase(reservation(Map.of()), ctx))
                .isInstanceOfSatisfying(PurchaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.cloudCode()).isEqualTo(code);
                });
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void a_connection_reset_after_the_put_is_an_unknown_outcome() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> executor.purchase(reservation(Map.of()), ctx))
                .isInstanceOf(OutcomeUnknownException.class);
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void a_failing_guard_lookup_is_retried_then_refuses_without_a_put() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(503)
                .withBody("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"try later\"}}")));

        assertThatThrownBy(() -> executor.purchase(reservation(Map.of()), ctx))
                .isInstanceOfSatisfying(GuardUndecidedException.class,
                        e -> assertThat(e.cloudCode()).isEqualTo("ServiceUnavailable"));
        arm.verify(3, getRequestedFor(urlPathEqualTo(ALIASES + alias)));
        arm.verify(0, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void the_one_off_mode_sends_no_guard_lookup() {
        PurchaseContext ctx = PurchaseContext.oneOff(Clock.systemUTC());
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(201)
                .withBody(recorded("reservation-alias-succeeded.json", alias))));

        PurchaseOutcome outcome = executor.purchase(reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        arm.verify(0, getRequestedFor(urlPathEqualTo(ALIASES + alias)));
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @Test
    void an_unknown_reserved_resource_type_is_refused_naming_the_attribute_and_nothing_is_sent() {
        assertThatThrownBy(() -> executor.purchase(reservation(Map.of("reservedResourceType", "Mainframes")), freshContext()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("attributes.reservedResourceType"));
        assertThat(arm.getAllServeEvents()).isEmpty();
    }

    @Test
    void a_misspelt_attribute_is_refused_naming_it() {
        assertThatThrownBy(() -> executor.validate(reservation(Map.of("reservedResorceType", "CosmosDb"))))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("attributes.reservedResorceType"));
    }

    @Test
    void a_single_applied_scope_needs_a_subscription_or_resource_group() {
        assertThatThrownBy(() -> executor.validate(reservation(Map.of("appliedScopeType", "Single"))))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("attributes.appliedScopeSubscriptionId"));
    }

    @Test
    void an_account_that_is_not_a_billing_scope_is_refused_naming_the_account() {
        var request = new dev.pledge.common.model.CommitmentRequest(dev.pledge.common.model.CommitmentType.AZURE_RESERVATION,
                "my-account", "westeurope", "Standard_D2s_v3", 1, dev.pledge.common.model.Term.ONE_YEAR,
                dev.pledge.common.model.PaymentOption.UPFRONT, Map.of());
        assertThatThrownBy(() -> executor.validate(request))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("account"));
    }

    @Test
    void a_single_scope_request_sends_the_applied_scope_properties_and_no_billing_plan_when_paid_upfront() {
        PurchaseContext ctx = PurchaseContext.oneOff(Clock.systemUTC());
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(201)
                .withBody(recorded("reservation-alias-succeeded.json", alias))));
        var request = new dev.pledge.common.model.CommitmentRequest(dev.pledge.common.model.CommitmentType.AZURE_RESERVATION,
                AzureFixtures.SUBSCRIPTION, "westeurope", "Standard_D2s_v3", 3, dev.pledge.common.model.Term.THREE_YEARS,
                dev.pledge.common.model.PaymentOption.UPFRONT, Map.of("appliedScopeType", "single",
                "appliedScopeSubscriptionId", "/subscriptions/99999999-2222-3333-4444-555555555555",
                "reservedResourceType", "cosmosdb", "renew", "true"));

        executor.purchase(request, ctx);

        arm.verify(putRequestedFor(urlPathEqualTo(ALIASES + alias)).withRequestBody(equalToJson("""
                {"sku":{"name":"Standard_D2s_v3"},"location":"westeurope",
                 "properties":{"displayName":"%s","billingScopeId":"/subscriptions/11111111-2222-3333-4444-555555555555",
                   "term":"P3Y","appliedScopeType":"Single",
                   "appliedScopeProperties":{"subscriptionId":"/subscriptions/99999999-2222-3333-4444-555555555555"},
                   "quantity":3,"renew":true,"reservedResourceType":"CosmosDb"}}""".formatted(alias))));
    }

    @Test
    void recent_purchases_follow_next_link_and_keep_the_same_sku_location_and_scope_since_the_instant() {
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.Capacity/reservations"))
                .willReturn(aResponse().withBody(recorded("reservations-page-1.json", null)
                        .replace("NEXT", arm.baseUrl() + "/providers/Microsoft.Capacity/reservations/page2"))));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.Capacity/reservations/page2"))
                .willReturn(aResponse().withBody(recorded("reservations-page-2.json", null))));

        List<ExistingCommitment> recent = executor.recentPurchases(reservation(Map.of()),
                Instant.parse("2026-11-23T00:00:00Z"));

        assertThat(recent).extracting(ExistingCommitment::commitmentId).containsExactly(
                "/providers/microsoft.capacity/reservationOrders/aaaaaaaa-0000-0000-0000-000000000001",
                "/providers/microsoft.capacity/reservationOrders/aaaaaaaa-0000-0000-0000-000000000004");
        assertThat(recent).extracting(ExistingCommitment::quantity).containsExactly(3, 5);
        arm.verify(getRequestedFor(urlPathEqualTo("/providers/Microsoft.Capacity/reservations"))
                .withQueryParam("api-version", equalTo("2022-11-01")));
    }

    @Test
    void a_failing_recent_purchase_lookup_fails_closed() {
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.Capacity/reservations"))
                .willReturn(aResponse().withStatus(500)));

        assertThatThrownBy(() -> executor.recentPurchases(reservation(Map.of()), Instant.EPOCH))
                .isInstanceOf(GuardUndecidedException.class);
    }

    @Test
    void a_monthly_quote_posts_calculate_price_and_reads_the_first_instalment() {
        arm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                urlPathEqualTo("/providers/Microsoft.Capacity/calculatePrice"))
                .willReturn(aResponse().withBody(recorded("calculate-price-monthly.json", null))));

        var quote = executor.quote(reservation(Map.of()));

        assertThat(quote).hasValueSatisfying(q -> {
            assertThat(q.recurring()).isEqualByComparingTo("126.14");
            assertThat(q.recurringUnit()).isEqualTo("month");
            assertThat(q.upfront()).isZero();
            assertThat(q.currency()).isEqualTo("USD");
        });
        arm.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        urlPathEqualTo("/providers/Microsoft.Capacity/calculatePrice"))
                .withQueryParam("api-version", equalTo("2022-11-01"))
                .withRequestBody(equalToJson("""
                        {"sku":{"name":"Standard_D2s_v3"},"location":"westeurope",
                         "properties":{"reservedResourceType":"VirtualMachines",
                           "billingScopeId":"/subscriptions/11111111-2222-3333-4444-555555555555",
                           "term":"P1Y","billingPlan":"Monthly","quantity":3,"displayName":"pledge-quote",
                           "appliedScopeType":"Shared"}}""")));
    }

    @Test
    void an_upfront_quote_reads_the_billing_currency_total() {
        arm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                urlPathEqualTo("/providers/Microsoft.Capacity/calculatePrice"))
                .willReturn(aResponse().withBody(recorded("calculate-price-upfront.json", null))));
        var request = new dev.pledge.common.model.CommitmentRequest(dev.pledge.common.model.CommitmentType.AZURE_RESERVATION,
                AzureFixtures.BILLING_SCOPE, "westeurope", "Standard_D2s_v3", 1, dev.pledge.common.model.Term.ONE_YEAR,
                dev.pledge.common.model.PaymentOption.UPFRONT, Map.of());

        assertThat(executor.quote(request)).hasValueSatisfying(q -> {
            assertThat(q.upfront()).isEqualByComparingTo("1289.52");
            assertThat(q.currency()).isEqualTo("EUR");
        });
    }

    @Test
    void a_failing_price_lookup_gives_no_quote() {
        arm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                urlPathEqualTo("/providers/Microsoft.Capacity/calculatePrice"))
                .willReturn(aResponse().withStatus(400).withBody(recorded("error-invalid-sku.json", null))));

        assertThat(executor.quote(reservation(Map.of()))).isEmpty();
    }

    @Test
    void clients_are_built_once_per_account() {
        int before = connections.cachedAccounts();
        connections.forAccount("/subscriptions/aaaaaaaa-2222-3333-4444-555555555555");
        connections.forAccount("/subscriptions/aaaaaaaa-2222-3333-4444-555555555555");
        connections.forAccount("/subscriptions/bbbbbbbb-2222-3333-4444-555555555555");

        assertThat(connections.cachedAccounts() - before).isEqualTo(2);
        assertThat(connections.forAccount("/subscriptions/aaaaaaaa-2222-3333-4444-555555555555"))
                .isSameAs(connections.forAccount("/subscriptions/aaaaaaaa-2222-3333-4444-555555555555"));
    }

    @Test
    void an_account_whose_credentials_were_replaced_gets_a_new_client() {
        String account = "/subscriptions/cccccccc-2222-3333-4444-555555555555";
        var first = connections.forAccount(account);

        executor.forgetAccount(account);

        assertThat(connections.forAccount(account)).isNotSameAs(first);
    }
}
