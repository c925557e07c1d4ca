package dev.pledge.gcp;

import dev.pledge.common.insight.CloudInsights;
import dev.pledge.common.insight.InsightProvider;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;

import java.util.List;

/**
 * GCP inventory ({@code regionCommitments.aggregatedList}) and recommendations (the Recommender API's
 * committed-use recommender), both over the HttpJson transport.
 */
public final class GcpInsightProvider implements InsightProvider {

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public CloudInsights create(ProviderSettings settings) {
        RegionCommitmentsClients compute = new RegionCommitmentsClients(settings, true);
        RecommenderClients recommender = new RecommenderClients(settings);
        return new CloudInsights(Cloud.GCP, List.of(new GcpInventory(compute)),
                List.of(new CommittedUseRecommendations(recommender)), () -> {
                    try {
                        compute.close();
                    } finally {
                        recommender.close();
                    }
                });
    }
}
