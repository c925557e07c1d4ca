package dev.pledge.azure;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExecutorProvider;
import dev.pledge.common.spi.ProviderSettings;

import java.util.List;

/** Azure's executors: reservations and savings plans, sharing one ARM client per account. */
public final class AzureExecutorProvider implements ExecutorProvider {

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public List<CommitmentExecutor> create(ProviderSettings settings) {
        ArmConnections connections = new ArmConnections(settings);
        return List.of(new ReservationOrderAliasExecutor(connections, settings),
                new SavingsPlanOrderAliasExecutor(connections, settings));
    }
}
