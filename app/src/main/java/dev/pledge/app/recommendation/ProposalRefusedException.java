package dev.pledge.app.recommendation;

import java.util.UUID;

/**
 * A proposal refused before anything was written: the recommendation does not exist, a later refresh superseded
 * it, or Pledge bought the same thing recently and no override was given. The API and the console word it
 * each for their own reader, from these facts.
 */
public class ProposalRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason { NOT_FOUND, SUPERSEDED, RECENTLY_BOUGHT }

    private final Reason reason;
    private final UUID recommendation;
    private final transient RecommendationView view;
    private final int recentlyBoughtDays;

    ProposalRefusedException(Reason reason, UUID recommendation, RecommendationView view, int recentlyBoughtDays) {
        super(reason + " " + recommendation);
        this.reason = reason;
        this.recommendation = recommendation;
        this.view = view;
        this.recentlyBoughtDays = recentlyBoughtDays;
    }

    public Reason reason() {
        return reason;
    }

    public UUID recommendation() {
        return recommendation;
    }

    /** The recommendation refused (null for {@link Reason#NOT_FOUND}). */
    public RecommendationView view() {
        return view;
    }

    /** The window of {@link Reason#RECENTLY_BOUGHT}: {@code pledge.insights.recently-bought-days}. */
    public int recentlyBoughtDays() {
        return recentlyBoughtDays;
    }
}
