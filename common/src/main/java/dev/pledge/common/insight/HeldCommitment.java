package dev.pledge.common.insight;

import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A commitment an account holds, as its cloud's inventory call reports it, in the vocabulary of a
 * {@link dev.pledge.common.model.CommitmentRequest} (offering = instance / node type, plan type or SKU).
 *
 * @param type             the commitment type
 * @param account          AWS account id, Azure subscription / billing scope, GCP project
 * @param region           region, location or {@code global}
 * @param commitmentId     the cloud's id (reservation id, plan id, order/reservation id, commitment name)
 * @param key              Pledge's key or tag value when it was bought under one (a {@code pledge:item-token}
 *                         tag, an RDS reservation id, an alias name), else null
 * @param offering         product as a purchase request names it
 * @param offeringId       the cloud's offering id, when reported
 * @param quantity         how many instances / nodes (1 for plans bought by amount)
 * @param hourlyCommitment the committed amount per hour of a plan, else null
 * @param term             the term, null when the cloud reports a length Pledge does not sell
 * @param payment          the payment option, null when none applies or is reported
 * @param start            start of the term, null when not reported
 * @param end              end of the term (computed from start + duration where the cloud reports only those)
 * @param state            the cloud's own state word ({@code active}, {@code Succeeded}, {@code ACTIVE}, ...)
 * @param active           whether the cloud counts it as in force (or about to be: queued, pending payment)
 * @param upfront          one-time price for the whole commitment, when reported
 * @param recurringHourly  recurring price per hour for the whole commitment, when reported
 * @param autoRenew        whether it renews itself, null when the cloud has no such setting
 * @param attributes       anything else worth showing (engine, instance family, scope, ...), sorted
 */
public record HeldCommitment(CommitmentType type, String account, String region, String commitmentId, String key,
                             String offering, String offeringId, int quantity, BigDecimal hourlyCommitment, Term term,
                             PaymentOption payment, Instant start, Instant end, String state, boolean active,
                             Money upfront, Money recurringHourly, Boolean autoRenew, Map<String, String> attributes) {

    public HeldCommitment {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        if (commitmentId == null || commitmentId.isBlank()) {
            throw new IllegalArgumentException("commitmentId is required");
        }
        Objects.requireNonNull(offering, "offering");
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must not be negative, was " + quantity);
        }
        state = state == null ? "" : state;
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }
}
