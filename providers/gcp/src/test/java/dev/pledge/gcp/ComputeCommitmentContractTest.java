package dev.pledge.gcp;

import dev.pledge.common.contract.CommitmentExecutorContract;
import dev.pledge.common.contract.ContractFixture;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** The contract kit for gcp-compute: the real Compute client against the project emulator. */
class ComputeCommitmentContractTest extends CommitmentExecutorContract {
    private static Emulator emulator;
    private static CommitmentExecutor executor;
    private static GcpEmulatorFixture fixture;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        ProviderSettings settings = ProviderSettings.emulator(emulator.baseUrl())
                .withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        executor = new ComputeCommitmentExecutor(new RegionCommitmentsClients(settings), settings);
        fixture = new GcpEmulatorFixture(emulator.client());
    }

    @AfterAll
    static void stopEmulator() {
        executor.close();
        emulator.close();
    }

    @Override
    protected CommitmentExecutor executor() {
        return executor;
    }

    @Override
    protected CommitmentRequest request() {
        return GcpFixtures.commitment();
    }

    @Override
    protected ContractFixture fixture() {
        return fixture;
    }
}
