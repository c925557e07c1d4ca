package dev.pledge.app.recommendation;

import dev.pledge.app.insight.InsightProperties;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The current recommendations as {@code GET /api/v1/recommendations} lists them (largest savings first), for
 * readers outside this package such as the console. Filters are checked as the API checks them: a bad value
 * throws a ValidationException naming the field; a null filter does not filter.
 */
@Service
public class CurrentRecommendations {
    private final RecommendationStore store;
    private final InsightProperties properties;

    CurrentRecommendations(RecommendationStore store, InsightProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    public List<RecommendationView> list(String cloud, String type, UUID account, BigDecimal minMonthlySavings,
                                         BigDecimal maxBreakEvenMonths) {
        return store.list(new RecommendationStore.Filter(
                cloud == null ? null : Cloud.fromSlug("cloud", cloud).slug(),
                type == null ? null : CommitmentType.fromSlug("type", type).slug(),
                account, minMonthlySavings, maxBreakEvenMonths, null), properties.recentlyBoughtDays());
    }

    /** {@code pledge.insights.recently-bought-days}: the window of {@link RecommendationView#recentlyBought()}. */
    public int recentlyBoughtDays() {
        return properties.recentlyBoughtDays();
    }
}
