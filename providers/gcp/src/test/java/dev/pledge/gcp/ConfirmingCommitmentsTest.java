package dev.pledge.gcp;

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
import dev.pledge.common.spi.ProviderSettings;
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

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pledge.gcp.GcpFixtures.commitment;
import static dev.pledge.gcp.GcpFixtures.freshContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sequences of ordinary events against the emulator, whose commitments advance with time as Compute's
 * do: a commitment still CREATING when polling stops, one that fails after its insert was accepted, a
 * 409 whose read-back lags, an earlier attempt in flight, a gate that refuses, an insert that commits
 * and is then throttled.
 */
class ConfirmingCommitmentsTest {
    private static final String TYPE = GcpEmulatorFixture.TYPE;
    private static Emulator emulator;
    private static EmulatorClient control;
    private static ProviderSettings settings;
    private static ComputeCommitmentExecutor executor;
    /** Stops polling after 300 ms: a commitment provisioning for an hour is still CREATING then. */
    private static ComputeCommitmentExecutor impatientExecutor;
    private static GcpEmulatorFixture fixture;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        control = emulator.client();
        settings = ProviderSettings.emulator(emulator.baseUrl()).withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        executor = new ComputeCommitmentExecutor(new RegionCommitmentsClients(settings), settings);
        ProviderSettings impatient = settings.withPolling(Duration.ofMillis(10), Duration.ofMillis(300));
        impatientExecutor = new ComputeCommitmentExecutor(new RegionCommitmentsClients(impatient), impatient);
        fixture = new GcpEmulatorFixture(control);
    }

    @AfterAll
    static void stopEmulator() {
        executor.close();
        impatientExecutor.close();
        emulator.close();
    }

    @BeforeEach
    void reset() {
        fixture.reset();
    }

    // ---- defect 7: CREATING is not final ----

    @Test
    void a_commitment_still_creating_when_polling_stops_is_bought_confirming_and_confirm_follows_it_to_active() {
        provisioning(Map.of("provisioningMs", "3600000"));
        CommitmentRequest request = commitment();

        PurchaseOutcome outcome = impatientExecutor.purchase(request, freshContext());

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.confirming()).isTrue();
        assertThat(outcome.commitmentId()).startsWith("projects/pledge-demo-project/regions/europe-west1/commitments/");
        assertThat(fixture.purchaseRequests()).isEqualTo(1);
        assertThat(executor.confirm(request, outcome.commitmentId()).state()).isEqualTo(Confirmation.State.PENDING);

        control.advanceClock(Duration.ofHours(1));

        Confirmation later = executor.confirm(request, outcome.commitmentId());
        assertThat(later.state()).isEqualTo(Confirmation.State.ACTIVE);
        assertThat(later.detail()).contains("NOT_YET_ACTIVE");
        assertThat(fixture.commitments()).isEqualTo(1);
    }

    @Test
    void a_commitment_that_fails_after_its_insert_was_accepted_is_confirmed_failed_with_computes_words() {
        provisioning(Map.of("provisioningMs", "3600000", "provisioningOutcome", "fail"));
        CommitmentRequest request = commitment();
        PurchaseOutcome outcome = impatientExecutor.purchase(request, freshContext());
        assertThat(outcome.confirming()).isTrue();

        control.advanceClock(Duration.ofHours(1));

        Confirmation later = executor.confirm(request, outcome.commitmentId());
        assertThat(later.state()).isEqualTo(Confirmation.State.FAILED);
        assertThat(later.detail()).contains("CANCELLED").contains("could not be created");
        assertThat(control.commitments(Cloud.GCP, TYPE)).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("CANCELLED"));
    }

    @Test
    void a_redrive_whose_guard_finds_the_commitment_still_creating_is_already_owned_and_confirming() {
        provisioning(Map.of("provisioningMs", "3600000"));
        PurchaseContext ctx = freshContext();
        PurchaseOutcome first = impatientExecutor.purchase(commitment(), ctx);

        PurchaseOutcome redrive = executor.purchase(commitment(), ctx);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(redrive.confirming()).isTrue();
        assertThat(redrive.commitmentId()).isEqualTo(first.commitmentId());
        assertThat(fixture.purchaseRequests()).isEqualTo(1);
    }

    @Test
    void confirming_a_commitment_compute_does_not_know_is_failed_and_a_refused_lookup_is_undecided() {
        String missing = "projects/pledge-demo-project/regions/europe-west1/commitments/pledge-missing";

        // a read can lag: not found is pending at first, failed once it stays missing past the grace period
        // (the executor's poll timeout)
        assertThat(impatientExecutor.confirm(commitment(), missing)).satisfies(c -> {
            assertThat(c.state()).isEqualTo(Confirmation.State.PENDING);
            assertThat(c.detail()).contains("not found yet");
        });
        Confirmation later = impatientExecutor.confirm(commitment(), missing);
        for (int i = 0; i < 100 && later.state() == Confirmation.State.PENDING; i++) {
            sleep(100);
            later = impatientExecutor.confirm(commitment(), missing);
        }
        assertThat(later.state()).isEqualTo(Confirmation.State.FAILED);
        assertThat(later.detail()).contains("notFound");
        control.inject(FaultSpec.refusedLookups(Cloud.GCP, TYPE, 1));
        assertThatThrownBy(() -> executor.confirm(commitment(), missing)).isInstanceOf(GuardUndecidedException.class);
    }

    // ---- defect 8: a 409 whose read-back finds nothing ----

    @Test
    void a_409_whose_read_back_finds_nothing_is_an_unknown_outcome_and_the_redrive_owns_the_commitment() {
        PurchaseContext ctx = freshContext();
        fixture.arrangeAlreadyExists(commitment(), ctx); // hides the guard's get
        control.inject(FaultSpec.of(Cloud.GCP, TYPE, "RegionCommitments.get", FaultKind.STALE_READ, 1)); // and the read-back

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("may have been bought");
        PurchaseOutcome redrive = executor.purchase(commitment(), ctx);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(fixture.purchaseRequests()).isEqualTo(1);
        assertThat(fixture.commitments()).isEqualTo(1);
    }

    // ---- defect 6: an attempt in flight, a gate that refuses ----

    @Test
    void an_unfinished_young_attempt_makes_the_purchase_wait_without_any_lookup_or_insert() {
        PurchaseContext ctx = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-in-flight",
                List.of(Attempt.unfinished(Instant.now().minusSeconds(1))));

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx)).isInstanceOf(AttemptInFlightException.class);
        assertThat(fixture.lookupRequests()).isZero();
        assertThat(fixture.purchaseRequests()).isZero();
        assertThat(fixture.commitments()).isZero();
    }

    @Test
    void a_gate_that_refuses_stops_the_insert_after_the_guard_and_nothing_is_bought() {
        PurchaseContext ctx = freshContext().withGate(() -> {
            throw new GuardUndecidedException("the worker no longer owns the execution");
        });

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("no longer owns");
        assertThat(fixture.lookupRequests()).isEqualTo(1);
        assertThat(fixture.purchaseRequests()).isZero();
        assertThat(fixture.commitments()).isZero();
    }

    // ---- defect 4 analog: commit, answer lost, then throttled ----

    @Test
    void an_insert_that_commits_loses_its_answer_and_is_then_throttled_is_unknown_and_the_redrive_owns_the_one_commitment() {
        control.inject(FaultSpec.commitThenThrottle(Cloud.GCP, TYPE, "RegionCommitments.insert", 3));
        PurchaseContext ctx = freshContext();

        assertThatThrownBy(() -> executor.purchase(commitment(), ctx)).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("may have been bought");
        assertThat(control.requestCount(Cloud.GCP, TYPE, CallKind.PURCHASE))
                .as("the insert is never retried by the client").isEqualTo(1);
        PurchaseOutcome redrive = executor.purchase(commitment(), ctx);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(fixture.purchaseRequests()).isEqualTo(1);
        assertThat(fixture.commitments()).isEqualTo(1);
    }

    private static void provisioning(Map<String, String> more) {
        for (Offering o : control.offerings(Cloud.GCP, TYPE, GcpFixtures.REGION)) {
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
