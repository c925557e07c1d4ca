package dev.pledge.gcp;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Emulator;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The ServiceLoader registration, and a demo request with the fewest attributes, as the app and CLI use them. */
class GcpExecutorProviderTest {

    @Test
    void the_registry_finds_the_compute_commitment_executor() {
        try (ExecutorRegistry registry = ExecutorRegistry.load(ProviderSettings.emulator(URI.create("http://127.0.0.1:1")))) {
            assertThat(registry.executor(CommitmentType.GCP_COMPUTE)).isInstanceOf(ComputeCommitmentExecutor.class);
            assertThat(registry.executor(CommitmentType.GCP_COMPUTE)
                    .derivedKeys(GcpFixtures.commitment(), GcpFixtures.freshContext()))
                    .containsKeys("name", "requestId");
            // in this order every time, so a dry run prints the same lines
            assertThat(registry.executor(CommitmentType.GCP_COMPUTE)
                    .derivedKeys(GcpFixtures.commitment(), GcpFixtures.freshContext()).keySet())
                    .containsExactly("name", "requestId");
        }
    }

    @Test
    void a_demo_request_with_the_fewest_attributes_buys_from_the_default_emulator() {
        try (Emulator emulator = Emulator.builder().build().start();
             ExecutorRegistry registry = ExecutorRegistry.load(ProviderSettings.emulator(emulator.baseUrl()))) {
            CommitmentRequest demo = CommitmentRequest.parse("gcp-compute", "my-demo-project", "us-central1",
                    "general_purpose_n2", 1, "1y", null, Map.of("vcpus", "4", "memoryMb", "16384"));

            assertThat(registry.executor(demo.type()).purchase(demo, GcpFixtures.freshContext()).kind())
                    .isEqualTo(OutcomeKind.BOUGHT);
            assertThat(emulator.client().commitments()).singleElement()
                    .satisfies(c -> assertThat(c.offering().product()).isEqualTo("GENERAL_PURPOSE_N2"));
        }
    }
}
