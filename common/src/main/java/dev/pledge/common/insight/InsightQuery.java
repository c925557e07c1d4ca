package dev.pledge.common.insight;

import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.util.List;
import java.util.Objects;

/**
 * One fetch of one source for one account.
 *
 * @param type     the commitment type
 * @param account  the account (AWS account id, Azure subscription or billing scope, GCP project)
 * @param regions  regions to list (inventory calls that are regional); empty means the source's defaults
 * @param term     term of the recommendations to ask for (recommendations only)
 * @param payment  payment option of the recommendations to ask for; null for GCP or the type's default
 * @param lookback usage window of the recommendations
 * @param calls    how the source makes its cloud calls (the refresh's shared limit); one after another when null
 */
public record InsightQuery(CommitmentType type, String account, List<String> regions, Term term,
                           PaymentOption payment, Lookback lookback, InsightCalls calls) {

    public InsightQuery {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(account, "account");
        regions = regions == null ? List.of() : List.copyOf(regions);
        term = term == null ? Term.ONE_YEAR : term;
        lookback = lookback == null ? Lookback.THIRTY_DAYS : lookback;
        calls = calls == null ? InsightCalls.SEQUENTIAL : calls;
    }

    /** A query whose calls are made one after another. */
    public InsightQuery(CommitmentType type, String account, List<String> regions, Term term, PaymentOption payment,
                        Lookback lookback) {
        this(type, account, regions, term, payment, lookback, null);
    }

    /** The same query, its calls made through {@code calls}. */
    public InsightQuery withCalls(InsightCalls calls) {
        return new InsightQuery(type, account, regions, term, payment, lookback, calls);
    }

    public static InsightQuery inventory(CommitmentType type, String account, List<String> regions) {
        return new InsightQuery(type, account, regions, null, null, null);
    }
}
