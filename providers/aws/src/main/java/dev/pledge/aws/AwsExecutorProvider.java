package dev.pledge.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExecutorProvider;
import dev.pledge.common.spi.ProviderSettings;

import java.util.List;

/** The seven AWS executors, sharing one set of SDK clients. Found with {@link java.util.ServiceLoader}. */
public final class AwsExecutorProvider implements ExecutorProvider {

    @Override
    public Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    public List<CommitmentExecutor> create(ProviderSettings settings) {
        AwsClients clients = new AwsClients(settings);
        SharedClose close = new SharedClose(clients, 7);
        return List.of(
                close.wrap(new Ec2ReservedInstanceExecutor(clients)),
                close.wrap(new SavingsPlanExecutor(clients)),
                close.wrap(new RdsReservedInstanceExecutor(clients)),
                close.wrap(new ElastiCacheReservedNodeExecutor(clients)),
                close.wrap(new MemoryDbReservedNodeExecutor(clients)),
                close.wrap(new OpenSearchReservedInstanceExecutor(clients)),
                close.wrap(new RedshiftReservedNodeExecutor(clients)));
    }

    /** Closes the shared clients when the last of the executors is closed. */
    private static final class SharedClose {
        private final AwsClients clients;
        private int open;

        SharedClose(AwsClients clients, int executors) {
            this.clients = clients;
            this.open = executors;
        }

        CommitmentExecutor wrap(AwsExecutor executor) {
            executor.onClose(this::closed);
            return executor;
        }

        private synchronized void closed() {
            if (--open == 0) {
                clients.close();
            }
        }
    }
}
