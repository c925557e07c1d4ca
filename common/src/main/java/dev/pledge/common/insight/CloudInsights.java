package dev.pledge.common.insight;

import dev.pledge.common.model.Cloud;

import java.util.List;
import java.util.Objects;

/** A cloud's inventory and recommendation sources, sharing clients that {@link #close()} releases. */
public record CloudInsights(Cloud cloud, List<InventorySource> inventory, List<RecommendationSource> recommendations,
                            AutoCloseable resources) implements AutoCloseable {

    public CloudInsights {
        Objects.requireNonNull(cloud, "cloud");
        inventory = List.copyOf(inventory);
        recommendations = List.copyOf(recommendations);
    }

    @Override
    public void close() {
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the " + cloud.slug() + " insight clients failed", e);
            }
        }
    }
}
