package dev.pledge.azure;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Emulator;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The ServiceLoader registration, and a demo request with the fewest attributes, as the app and CLI use them. */
class AzureExecutorProviderTest {

    @Test
    void the_registry_finds_the_reservation_and_savings_plan_executors() {
        try (ExecutorRegistry registry = ExecutorRegistry.load(ProviderSettings.emulator(URI.create("http://127.0.0.1:1")))) {
            assertThat(registry.executor(CommitmentType.AZURE_RESERVATION)).isInstanceOf(ReservationOrderAliasExecutor.class);
            assertThat(registry.executor(CommitmentType.AZURE_SAVINGS_PLAN)).isInstanceOf(SavingsPlanOrderAliasExecutor.class);
            assertThat(registry.executor(CommitmentType.AZURE_RESERVATION).dedupeStrength())
                    .isEqualTo(DedupeStrength.SERVER_KEY);
        }
    }

    @Test
    void demo_requests_with_the_fewest_attributes_buy_from_the_default_emulator() {
        try (Emulator emulator = Emulator.builder().build().start();
             ExecutorRegistry registry = ExecutorRegistry.load(ProviderSettings.emulator(emulator.baseUrl()))) {
            CommitmentRequest reservation = CommitmentRequest.parse("azure-reservation",
                    "11111111-2222-3333-4444-555555555555", "westeurope", "Standard_D2s_v3", 1, "1y", "monthly", Map.of());
            CommitmentRequest savingsPlan = CommitmentRequest.parse("azure-savings-plan",
                    "11111111-2222-3333-4444-555555555555", "global", "Compute_Savings_Plan", 1, "1y", "monthly",
                    Map.of("hourlyCommitment", "1.5"));

            assertThat(registry.executor(reservation.type()).purchase(reservation, AzureFixtures.freshContext()).kind())
                    .isEqualTo(OutcomeKind.BOUGHT);
            assertThat(registry.executor(savingsPlan.type()).purchase(savingsPlan, AzureFixtures.freshContext()).kind())
                    .isEqualTo(OutcomeKind.BOUGHT);
            assertThat(emulator.client().commitments()).hasSize(2);
        }
    }
}
