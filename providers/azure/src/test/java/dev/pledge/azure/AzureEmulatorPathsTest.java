package dev.pledge.azure;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Azure paths the contract kit does not name, against the emulator: a poll timeout, and the one-off duplicate check. */
class AzureEmulatorPathsTest {
    private static Emulator emulator;
    private static EmulatorClient control;
    private static ReservationOrderAliasExecutor reservations;
    private static SavingsPlanOrderAliasExecutor savingsPlans;
    /** Gives up polling after 500 ms, for the poll-timeout test. */
    private static ReservationOrderAliasExecutor impatientReservations;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        control = emulator.client();
        ProviderSettings settings = ProviderSettings.emulator(emulator.baseUrl())
                .withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        ArmConnections connections = new ArmConnections(settings);
        reservations = new ReservationOrderAliasExecutor(connections, settings);
        savingsPlans = new SavingsPlanOrderAliasExecutor(connections, settings);
        ProviderSettings impatient = settings.withPolling(Duration.ofMillis(10), Duration.ofMillis(500));
        impatientReservations = new ReservationOrderAliasExecutor(new ArmConnections(impatient), impatient);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    @Test
    void an_order_still_in_progress_at_the_poll_timeout_is_a_confirming_purchase_and_a_redrive_owns_it() {
        for (Offering o : control.offerings(Cloud.AZURE, "azure-reservation", "westeurope")) {
            Map<String, String> attributes = new LinkedHashMap<>(o.attributes());
            attributes.put("provisioningMs", "3600000");
            control.addOffering(new Offering(o.cloud(), o.type(), o.region(), o.offeringId(), o.product(), o.term(),
                    o.payment(), o.description(), o.currency(), o.upfront(), o.hourly(), attributes));
        }
        CommitmentRequest request = AzureFixtures.reservation(Map.of());
        PurchaseContext ctx = AzureFixtures.freshContext();

        PurchaseOutcome first = impatientReservations.purchase(request, ctx);
        PurchaseOutcome redrive = reservations.purchase(request, ctx);

        assertThat(first.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(first.confirming()).isTrue();
        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(redrive.confirming()).isTrue();
        assertThat(redrive.commitmentId()).isEqualTo(first.commitmentId());
        assertThat(control.commitments(Cloud.AZURE, "azure-reservation")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("Creating"));
        assertThat(control.requestCount(Cloud.AZURE, "ReservationOrderAlias_OperationStatus"))
                .as("operation polls before giving up").isPositive();
    }

    @Test
    void recent_purchases_find_one_off_orders_of_the_same_sku_location_and_scope() {
        Instant before = Instant.now().minusSeconds(1);
        CommitmentRequest request = AzureFixtures.reservation(Map.of());
        PurchaseOutcome bought = reservations.purchase(request, PurchaseContext.oneOff(Clock.systemUTC()));
        CommitmentRequest otherSku = new CommitmentRequest(CommitmentType.AZURE_RESERVATION, AzureFixtures.BILLING_SCOPE,
                "westeurope", "Standard_E4s_v3", 1, request.term(), request.payment(), Map.of());
        reservations.purchase(otherSku, PurchaseContext.oneOff(Clock.systemUTC()));

        List<ExistingCommitment> recent = reservations.recentPurchases(request, before);

        assertThat(recent).extracting(ExistingCommitment::commitmentId).containsExactly(bought.commitmentId());
        assertThat(recent.get(0).quantity()).isEqualTo(3);
        assertThat(reservations.recentPurchases(request, Instant.now().plusSeconds(60))).isEmpty();
    }

    @Test
    void recent_purchases_find_one_off_savings_plans_of_the_same_scope() {
        Instant before = Instant.now().minusSeconds(1);
        PurchaseOutcome bought = savingsPlans.purchase(AzureFixtures.savingsPlan("3"), PurchaseContext.oneOff(Clock.systemUTC()));

        assertThat(savingsPlans.recentPurchases(AzureFixtures.savingsPlan("3"), before))
                .extracting(ExistingCommitment::commitmentId).containsExactly(bought.commitmentId());
    }

    @Test
    void the_emulator_prices_a_reservation_from_its_catalog() {
        CommitmentRequest request = AzureFixtures.reservation(Map.of());
        Offering sku = control.offerings(Cloud.AZURE, "azure-reservation", "westeurope").stream()
                .filter(o -> o.product().equals("Standard_D2s_v3") && o.term().equals("1y") && "monthly".equals(o.payment()))
                .findFirst().orElseThrow();

        assertThat(reservations.quote(request)).hasValueSatisfying(q -> assertThat(q.recurring())
                .isEqualByComparingTo(sku.hourly().multiply(java.math.BigDecimal.valueOf(730 * 3))
                        .setScale(2, java.math.RoundingMode.HALF_UP))).hasValueSatisfying(q ->
                assertThat(q.recurringUnit()).isEqualTo("month"));
        assertThat(control.requestCount(Cloud.AZURE, "Reservation_CalculatePrice")).isEqualTo(1);
        assertThat(control.commitments()).isEmpty();
    }
}
