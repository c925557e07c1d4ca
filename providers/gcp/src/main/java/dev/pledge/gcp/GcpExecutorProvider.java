package dev.pledge.gcp;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExecutorProvider;
import dev.pledge.common.spi.ProviderSettings;

import java.util.List;

/** GCP's executor: Compute Engine committed-use discounts. */
public final class GcpExecutorProvider implements ExecutorProvider {

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public List<CommitmentExecutor> create(ProviderSettings settings) {
        return List.of(new ComputeCommitmentExecutor(new RegionCommitmentsClients(settings), settings));
    }
}
