package dev.pledge.aws;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A bought commitment as any of the seven describe calls reports it, reduced to what the guards
 * compare.
 *
 * @param id              AWS's id of the commitment
 * @param key             our caller-chosen key when the type has one, else null
 * @param offeringId      the offering id when the describe reports it, else null (EC2)
 * @param product         instance / node type or plan type
 * @param quantity        how many
 * @param start           start time
 * @param state           AWS's state word
 * @param paymentType     AWS's spelling of the payment option when reported ({@code No Upfront}), else null
 * @param durationSeconds the term in seconds when reported, else 0
 * @param tags            tags when the describe reports them
 */
record AwsReservation(String id, String key, String offeringId, String product, int quantity, Instant start,
                      String state, String paymentType, long durationSeconds, Map<String, String> tags) {

    /** States in which the commitment is held or about to be: the guard counts these as bought. */
    private static final Set<String> HELD = Set.of("active", "payment-pending", "pending-payment", "queued", "pending");

    AwsReservation {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    boolean held() {
        return state != null && HELD.contains(state.toLowerCase(Locale.ROOT));
    }
}
