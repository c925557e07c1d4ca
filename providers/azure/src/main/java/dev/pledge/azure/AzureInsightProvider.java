package dev.pledge.azure;

import dev.pledge.common.insight.CloudInsights;
import dev.pledge.common.insight.InsightProvider;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;

import java.util.List;

/**
 * Azure inventory (reservation and savings-plan orders) and recommendations (Consumption reservation
 * recommendations, Cost Management benefit recommendations), REST over azure-core's pipeline as the purchase
 * side does: no typed SDK for these APIs resolves here.
 */
public final class AzureInsightProvider implements InsightProvider {

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public CloudInsights create(ProviderSettings settings) {
        ArmConnections connections = new ArmConnections(settings);
        return new CloudInsights(Cloud.AZURE,
                List.of(AzureInventory.reservations(connections), AzureInventory.savingsPlans(connections)),
                List.of(new ReservationRecommendations(connections), new BenefitRecommendations(connections)), null);
    }
}
