package dev.pledge.common.insight;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;

/**
 * One per cloud module, registered in {@code META-INF/services/dev.pledge.common.insight.InsightProvider}
 * and found with {@link java.util.ServiceLoader}: the read side (inventory, recommendations) beside the
 * executors.
 */
public interface InsightProvider {

    Cloud cloud();

    CloudInsights create(ProviderSettings settings);
}
