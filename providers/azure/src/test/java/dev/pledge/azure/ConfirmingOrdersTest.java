package dev.pledge.azure;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sequences of ordinary events against the emulator, whose orders advance with time as Azure's do: an
 * order accepted but not final when polling stops, an order that fails after it was accepted, an
 * earlier attempt still in flight, a gate that refuses, a purchase that commits and is then throttled.
 */
class ConfirmingOrdersTest {
    private static final String RESERVATION = "azure-reservation";
    private static Emulator emulator;
    private static EmulatorClient control;
    private static ProviderSettings settings;
    private static ReservationOrderAliasExecutor reservations;
    /** Stops polling after 300 ms: an order provisioning for an hour is still in progress then. */
    private static ReservationOrderAliasExecutor impatientReservations;
    private static SavingsPlanOrderAliasExecutor impatientSavingsPlans;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        control = emulator.client();
        settings = ProviderSettings.emulator(emulator.baseUrl()).withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        reservations = new ReservationOrderAliasExecutor(new ArmConnections(settings), settings);
        ProviderSettings impatient = settings.withPolling(Duration.ofMillis(10), Duration.ofMillis(300));
        ArmConnections impatientConnections = new ArmConnections(impatient);
        impatientReservations = new ReservationOrderAliasExecutor(impatientConnections, impatient);
        impatientSavingsPlans = new SavingsPlanOrderAliasExecutor(impatientConnections, impatient);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    // ---- defect 7: in progress is not final ----

    @Test
    void an_order_still_pending_billing_when_polling_stops_is_bought_confirming_and_confirm_follows_it_to_active() {
        provisioning(RESERVATION, "westeurope", Map.of("provisioningMs", "3600000", "provisioningState", "PendingBilling"));
        CommitmentRequest request = AzureFixtures.reservation(Map.of());

        PurchaseOutcome outcome = impatientReservations.purchase(request, AzureFixtures.freshContext());

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.confirming()).isTrue();
        assertThat(outcome.commitmentId()).startsWith("/providers/Microsoft.Capacity/reservationOrders/");
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.PURCHASE)).isEqualTo(1);
        assertThat(reservations.confirm(request, outcome.commitmentId()).state()).isEqualTo(Confirmation.State.PENDING);

        control.advanceClock(Duration.ofHours(1));

        Confirmation later = reservations.confirm(request, outcome.commitmentId());
        assertThat(later.state()).isEqualTo(Confirmation.State.ACTIVE);
        assertThat(later.detail()).contains("Succeeded");
        assertThat(control.requestCount(Cloud.AZURE, "ReservationOrderAlias_GetOrder")).isEqualTo(2);
        assertThat(control.commitments(Cloud.AZURE, RESERVATION)).singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(outcome.commitmentId()));
    }

    @Test
    void an_accepted_order_that_fails_later_is_confirmed_failed_with_azures_words() {
        provisioning(RESERVATION, "westeurope", Map.of("provisioningMs", "3600000", "provisioningOutcome", "fail"));
        CommitmentRequest request = AzureFixtures.reservation(Map.of());
        PurchaseOutcome outcome = impatientReservations.purchase(request, AzureFixtures.freshContext());
        assertThat(outcome.confirming()).isTrue();

        control.advanceClock(Duration.ofHours(1));

        Confirmation later = reservations.confirm(request, outcome.commitmentId());
        assertThat(later.state()).isEqualTo(Confirmation.State.FAILED);
        assertThat(later.detail()).contains("Failed").contains("OrderFailed");
        assertThat(control.commitments(Cloud.AZURE, RESERVATION)).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("Failed"));
    }

    @Test
    void a_redrive_whose_guard_finds_the_order_still_creating_is_already_owned_and_confirming() {
        provisioning(RESERVATION, "westeurope", Map.of("provisioningMs", "3600000"));
        CommitmentRequest request = AzureFixtures.reservation(Map.of());
        PurchaseContext ctx = AzureFixtures.freshContext();
        PurchaseOutcome first = impatientReservations.purchase(request, ctx);

        PurchaseOutcome redrive = reservations.purchase(request, ctx);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(redrive.confirming()).isTrue();
        assertThat(redrive.commitmentId()).isEqualTo(first.commitmentId());
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.PURCHASE)).isEqualTo(1);
    }

    @Test
    void a_savings_plan_order_still_creating_when_polling_stops_is_confirming_and_confirmed_through_its_order() {
        provisioning("azure-savings-plan", "global", Map.of("provisioningMs", "3600000"));
        CommitmentRequest request = AzureFixtures.savingsPlan("2.5");

        PurchaseOutcome outcome = impatientSavingsPlans.purchase(request, AzureFixtures.freshContext());

        assertThat(outcome.confirming()).isTrue();
        assertThat(outcome.commitmentId()).startsWith("/providers/Microsoft.BillingBenefits/savingsPlanOrders/");
        control.advanceClock(Duration.ofHours(1));
        assertThat(impatientSavingsPlans.confirm(request, outcome.commitmentId()).state())
                .isEqualTo(Confirmation.State.ACTIVE);
        assertThat(control.requestCount(Cloud.AZURE, "SavingsPlanOrderAlias_GetOrder")).isEqualTo(1);
    }

    @Test
    void an_order_that_fails_while_it_is_polled_is_rejected_and_nothing_is_held() {
        provisioning(RESERVATION, "westeurope", Map.of("provisioningMs", "0", "provisioningOutcome", "fail"));

        assertThatThrownBy(() -> reservations.purchase(AzureFixtures.reservation(Map.of()), AzureFixtures.freshContext()))
                .isInstanceOf(PurchaseRejectedException.class)
                .hasMessageContaining("OrderFailed");
        assertThat(control.commitments(Cloud.AZURE, RESERVATION)).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("Failed"));
    }

    @Test
    void confirming_an_order_azure_does_not_know_is_failed_and_a_refused_lookup_is_undecided() {
        CommitmentRequest request = AzureFixtures.reservation(Map.of());
        String missing = "/providers/Microsoft.Capacity/reservationOrders/00000000-0000-0000-0000-000000000001";

        // a read can lag: not found is pending at first, failed once it stays missing past the grace period
        // (the executors' poll timeout)
        assertThat(impatientReservations.confirm(request, missing)).satisfies(c -> {
            assertThat(c.state()).isEqualTo(Confirmation.State.PENDING);
            assertThat(c.detail()).contains("not found yet");
        });
        Confirmation later = impatientReservations.confirm(request, missing);
        for (int i = 0; i < 100 && later.state() == Confirmation.State.PENDING; i++) {
            sleep(100);
            later = impatientReservations.confirm(request, missing);
        }
        assertThat(later.state()).isEqualTo(Confirmation.State.FAILED);
        assertThat(later.detail()).contains("NotFound");
        control.inject(FaultSpec.refusedLookups(Cloud.AZURE, RESERVATION, 1));
        assertThatThrownBy(() -> reservations.confirm(request, missing))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("AuthorizationFailed");
    }

    // ---- defect 6: an attempt in flight, a gate that refuses ----

    @Test
    void an_unfinished_young_attempt_makes_the_purchase_wait_without_any_lookup_or_purchase() {
        PurchaseContext ctx = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-in-flight",
                List.of(Attempt.unfinished(Instant.now().minusSeconds(1))));

        assertThatThrownBy(() -> reservations.purchase(AzureFixtures.reservation(Map.of()), ctx))
                .isInstanceOfSatisfying(AttemptInFlightException.class,
                        e -> assertThat(e.retryAfter()).isAfter(Instant.now()));
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.LOOKUP)).isZero();
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.PURCHASE)).isZero();
        assertThat(control.commitments()).isEmpty();
    }

    @Test
    void an_unfinished_attempt_older_than_the_in_flight_bound_no_longer_holds_the_purchase_back() {
        Instant old = Instant.now().minus(settings.inFlightBound()).minusSeconds(1);
        PurchaseContext ctx = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-stale",
                List.of(Attempt.unfinished(old)));

        PurchaseOutcome outcome = reservations.purchase(AzureFixtures.reservation(Map.of()), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(control.commitments(Cloud.AZURE, RESERVATION)).hasSize(1);
    }

    @Test
    void a_gate_that_refuses_stops_the_put_after_the_guard_and_nothing_is_bought() {
        PurchaseContext ctx = AzureFixtures.freshContext().withGate(() -> {
            throw new GuardUndecidedException("the worker no longer owns the execution");
        });

        assertThatThrownBy(() -> reservations.purchase(AzureFixtures.reservation(Map.of()), ctx))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("no longer owns");
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.LOOKUP)).isEqualTo(1);
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.PURCHASE)).isZero();
        assertThat(control.commitments()).isEmpty();
    }

    // ---- defect 4 analog: commit, answer lost, then throttled ----

    @Test
    void a_put_that_commits_loses_its_answer_and_is_then_throttled_is_unknown_and_the_redrive_owns_the_one_order() {
        control.inject(FaultSpec.commitThenThrottle(Cloud.AZURE, RESERVATION, "ReservationOrderAlias_Create", 3));
        CommitmentRequest request = AzureFixtures.reservation(Map.of());
        PurchaseContext ctx = AzureFixtures.freshContext();

        assertThatThrownBy(() -> reservations.purchase(request, ctx)).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("may have been bought");
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.PURCHASE))
                .as("the PUT is never retried by the client").isEqualTo(1);
        PurchaseOutcome redrive = reservations.purchase(request, ctx);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(control.requestCount(Cloud.AZURE, RESERVATION, CallKind.PURCHASE)).isEqualTo(1);
        assertThat(control.commitments(Cloud.AZURE, RESERVATION)).singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(redrive.commitmentId()));
    }

    private static void provisioning(String type, String region, Map<String, String> more) {
        for (Offering o : control.offerings(Cloud.AZURE, type, region)) {
            Map<String, String> attributes = new LinkedHashMap<>(o.attributes());
            attributes.putAll(more);
            control.addOffering(new Offering(o.cloud(), o.type(), o.region(), o.offeringId(), o.product(), o.term(),
                    o.payment(), o.description(), o.currency(), o.upfront(), o.hourly(), attributes));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
