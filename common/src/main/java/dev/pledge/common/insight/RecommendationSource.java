package dev.pledge.common.insight;

import dev.pledge.common.model.CommitmentType;

import java.util.List;

/**
 * Fetches a cloud's purchase recommendations for one commitment type and account, following every page.
 * Called on refresh only: some clouds bill per call (AWS Cost Explorer: USD 0.01 a request).
 */
public interface RecommendationSource {

    CommitmentType type();

    /** @throws InsightException when a call fails after the client's retries; nothing partial is returned */
    List<Recommendation> fetch(InsightQuery query);

    /**
     * Tells the cloud that a purchase from this recommendation has started (GCP: {@code markClaimed} with the
     * etag). Returns the new etag, or the given one when the cloud keeps no such state.
     */
    default String markClaimed(Recommendation recommendation, String etag) {
        return etag;
    }

    /** Tells the cloud that the purchase succeeded (GCP: {@code markSucceeded}). */
    default String markSucceeded(Recommendation recommendation, String etag) {
        return etag;
    }
}
