package dev.pledge.gcp;

import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The ServiceLoader registration: the registry finds the GCP executor. */
class GcpExecutorProviderTest {

    @Test
    void the_registry_finds_the_compute_commitment_executor() {
        try (ExecutorRegistry registry = ExecutorRegistry.load(ProviderSettings.emulator(URI.create("http://127.0.0.1:1")))) {
            assertThat(registry.executor(CommitmentType.GCP_COMPUTE)).isInstanceOf(ComputeCommitmentExecutor.class);
            assertThat(registry.executor(CommitmentType.GCP_COMPUTE)
                    .derivedKeys(GcpFixtures.commitment(), GcpFixtures.freshContext()))
                    .containsKeys("name", "requestId");
        }
    }
}
