package dev.pledge.gcp;

import dev.pledge.common.model.Cloud;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.pledge.gcp.GcpFixtures.commitment;
import static dev.pledge.gcp.GcpFixtures.freshContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GCP paths the contract kit does not name: the operation's 409 and a poll timeout, against the emulator. */
class ComputeCommitmentEmulatorTest {
    private static Emulator emulator;
    private static EmulatorClient control;
    private static ComputeCommitmentExecutor executor;
    /** Gives up polling after 500 ms, for the poll-timeout test. */
    private static ComputeCommitmentExecutor impatientExecutor;
    private static GcpEmulatorFixture fixture;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        control = emulator.client();
        ProviderSettings settings = ProviderSettings.emulator(emulator.baseUrl())
                .withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        executor = new ComputeCommitmentExecutor(new RegionCommitmentsClients(settings), settings);
        ProviderSettings impatient = settings.withPolling(Duration.ofMillis(10), Duration.ofMillis(500));
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

    @Test
    void an_operation_still_running_at_the_poll_timeout_is_a_confirming_purchase_and_a_redrive_finds_the_commitment() {
        fixture.keepOperationsRunning();
        PurchaseContext ctx = freshContext();

        PurchaseOutcome first = impatientExecutor.purchase(commitment(), ctx);

        assertThat(first.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(first.confirming()).isTrue();
        assertThat(control.requestCount(Cloud.GCP, "RegionOperations.get")).as("operation polls").isPositive();

        PurchaseOutcome redrive = executor.purchase(commitment(), ctx);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(redrive.confirming()).isTrue();
        assertThat(fixture.purchaseRequests()).isEqualTo(1);
        assertThat(fixture.commitments()).isEqualTo(1);
    }

    @Test
    void an_operation_still_running_at_the_poll_timeout_whose_commitment_is_not_read_back_is_an_unknown_outcome() {
        fixture.keepOperationsRunning();
        // the guard's get and the read-back after the poll timeout both lag
        control.inject(FaultSpec.of(Cloud.GCP, GcpEmulatorFixture.TYPE, "RegionCommitments.get", FaultKind.STALE_READ, 2));

        assertThatThrownBy(() -> impatientExecutor.purchase(commitment(), freshContext()))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("polling timed out");
        assertThat(fixture.purchaseRequests()).isEqualTo(1);
        assertThat(fixture.commitments()).isEqualTo(1);
    }

    @Test
    void the_same_name_bought_under_another_request_id_ends_the_operation_in_409_and_is_recovered() {
        PurchaseContext ctx = freshContext();
        fixture.arrangeAlreadyExists(commitment(), ctx);

        PurchaseOutcome outcome = executor.purchase(commitment(), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        assertThat(outcome.key()).isEqualTo(ComputeCommitmentExecutor.name(ctx));
        assertThat(control.requestCount(Cloud.GCP, "RegionOperations.get")).as("the failed operation was polled")
                .isGreaterThanOrEqualTo(1);
        assertThat(fixture.purchaseRequests()).isEqualTo(1);
        assertThat(fixture.commitments()).isEqualTo(1);
    }

    @Test
    void a_repeat_insert_with_the_same_request_id_returns_the_same_operation_and_buys_once() {
        PurchaseContext ctx = freshContext();
        PurchaseOutcome first = executor.purchase(commitment(), ctx);
        PurchaseContext oneOffWithSameKey = new PurchaseContext(ctx.keySource(), false, null, java.util.List.of());

        PurchaseOutcome repeat = executor.purchase(commitment(), oneOffWithSameKey);

        assertThat(first.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(repeat.commitmentId()).isEqualTo(first.commitmentId());
        assertThat(control.requestCount(Cloud.GCP, "gcp-compute", CallKind.PURCHASE)).isEqualTo(2);
        assertThat(fixture.commitments()).isEqualTo(1);
    }

    @Test
    void recent_purchases_find_one_off_commitments_of_the_same_type() {
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        PurchaseOutcome bought = executor.purchase(commitment(), PurchaseContext.oneOff(java.time.Clock.systemUTC()));

        assertThat(executor.recentPurchases(commitment(), before))
                .extracting(dev.pledge.common.spi.ExistingCommitment::commitmentId)
                .containsExactly(bought.commitmentId());
        assertThat(executor.recentPurchases(commitment(), java.time.Instant.now().plusSeconds(60))).isEmpty();
    }
}
