package dev.pledge.azure;

import dev.pledge.common.contract.CommitmentExecutorContract;
import dev.pledge.common.contract.ContractFixture;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** The contract kit for azure-savings-plan against the project emulator (a second PUT answers 200 with the order). */
class SavingsPlanOrderAliasContractTest extends CommitmentExecutorContract {
    private static Emulator emulator;
    private static CommitmentExecutor executor;
    private static AzureEmulatorFixture fixture;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        ProviderSettings settings = ProviderSettings.emulator(emulator.baseUrl())
                .withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        executor = new SavingsPlanOrderAliasExecutor(new ArmConnections(settings), settings);
        fixture = new AzureEmulatorFixture(emulator.client(), CommitmentType.AZURE_SAVINGS_PLAN, executor, false);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Override
    protected CommitmentExecutor executor() {
        return executor;
    }

    @Override
    protected CommitmentRequest request() {
        return AzureFixtures.savingsPlan("2.5");
    }

    @Override
    protected ContractFixture fixture() {
        return fixture;
    }
}
