package dev.pledge.common.spi;

import dev.pledge.common.model.Cloud;

import java.util.List;

/**
 * One per cloud module, registered in {@code META-INF/services/dev.pledge.common.spi.ExecutorProvider}
 * and found with {@link java.util.ServiceLoader}: no framework involved.
 */
public interface ExecutorProvider {

    Cloud cloud();

    /** Creates this cloud's executors; they share clients per (account, region, service). */
    List<CommitmentExecutor> create(ProviderSettings settings);
}
