package dev.pledge.azure;

import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The ServiceLoader registration: the registry finds both Azure executors. */
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
}
