package dev.pledge.aws;

import dev.pledge.common.insight.CloudInsights;
import dev.pledge.common.insight.InsightProvider;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;

/** AWS inventory (describe calls) and recommendations (Cost Explorer), on one set of SDK clients. */
public final class AwsInsightProvider implements InsightProvider {

    @Override
    public Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    public CloudInsights create(ProviderSettings settings) {
        AwsClients clients = new AwsClients(settings);
        return new CloudInsights(Cloud.AWS, AwsInventory.all(clients), CostExplorerRecommendations.all(clients),
                clients);
    }
}
