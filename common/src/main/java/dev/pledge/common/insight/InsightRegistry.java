package dev.pledge.common.insight;

import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.ProviderSettings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The inventory and recommendation sources of every provider module on the class path. */
public final class InsightRegistry implements AutoCloseable {
    private final List<CloudInsights> clouds;
    private final Map<CommitmentType, InventorySource> inventory = new EnumMap<>(CommitmentType.class);
    private final Map<CommitmentType, RecommendationSource> recommendations = new EnumMap<>(CommitmentType.class);

    public InsightRegistry(Collection<CloudInsights> clouds) {
        this.clouds = List.copyOf(clouds);
        for (CloudInsights c : this.clouds) {
            c.inventory().forEach(s -> put(inventory, s.type(), s));
            c.recommendations().forEach(s -> put(recommendations, s.type(), s));
        }
    }

    private static <T> void put(Map<CommitmentType, T> map, CommitmentType type, T source) {
        if (map.put(type, source) != null) {
            throw new IllegalStateException("two sources for " + type.slug() + " (" + source.getClass().getName() + ")");
        }
    }

    public static InsightRegistry load(ProviderSettings settings) {
        List<CloudInsights> all = new ArrayList<>();
        for (InsightProvider p : ServiceLoader.load(InsightProvider.class)) {
            all.add(p.create(settings));
        }
        return new InsightRegistry(all);
    }

    public Optional<InventorySource> inventory(CommitmentType type) {
        return Optional.ofNullable(inventory.get(type));
    }

    public Optional<RecommendationSource> recommendations(CommitmentType type) {
        return Optional.ofNullable(recommendations.get(type));
    }

    public Collection<CommitmentType> inventoryTypes() {
        return inventory.keySet();
    }

    public Collection<CommitmentType> recommendationTypes() {
        return recommendations.keySet();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (CloudInsights c : clouds) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
