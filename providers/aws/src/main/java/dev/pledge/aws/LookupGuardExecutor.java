package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.TransientFailureException;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * A type whose purchase takes no caller key (EC2 Reserved Instances, Redshift reserved nodes):
 * only our lookup protects. The guard looks for the item's tag; failing that, when an earlier
 * attempt was recorded, for an untagged commitment with the same offering and count that started
 * after the earliest attempt (minus the clock skew) and that no other item owns, which it adopts
 * and tags. The purchase call is made exactly once (SDK retries off); the tag call after it has
 * bounded retries.
 */
abstract class LookupGuardExecutor extends AwsExecutor {
    static final int TAG_ATTEMPTS = 3;

    LookupGuardExecutor(AwsClients clients, CommitmentType type) {
        super(clients, type);
    }

    /** The held commitment tagged with this item key, if any. */
    abstract Optional<AwsReservation> findTagged(CommitmentRequest request, String itemKey);

    /** Held commitments matching the offering and count, untagged by any item, started at or after {@code notBefore}. */
    abstract java.util.List<AwsReservation> findAdoptable(CommitmentRequest request, OfferingRef offering,
                                                          Instant notBefore);

    /** Buys once (no SDK retries); returns the new commitment's id. */
    abstract String buyOnce(CommitmentRequest request, OfferingRef offering);

    /** Tags a commitment (one call; the caller retries). */
    abstract void tag(CommitmentRequest request, String id, Map<String, String> tags);

    @Override
    public DedupeStrength dedupeStrength() {
        return DedupeStrength.LOOKUP_GUARD;
    }

    @Override
    public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
        validate(request);
        return Map.of("tag " + TAG_ITEM, itemKey(context));
    }

    @Override
    public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context) {
        validate(request);
        String itemKey = itemKey(context);
        log.info("purchase {} {} x {} in {}/{} for tag {}={} ({})", type().slug(), request.quantity(),
                request.offering(), request.account(), request.region(), TAG_ITEM, itemKey, context);
        if (context.idempotent()) {
            Optional<PurchaseOutcome> owned;
            try {
                owned = guard(request, context, itemKey);
            } catch (SdkException e) {
                throw AwsFailures.guard("looking up " + type().slug() + " tagged " + TAG_ITEM + "=" + itemKey, e);
            }
            if (owned.isPresent()) {
                return owned.get();
            }
        }
        OfferingRef offering = resolveOffering(request);
        String id;
        try {
            id = buyOnce(request, offering);
        } catch (SdkException e) {
            throw purchaseFailed(request, "purchase of " + type().slug() + " " + request.quantity() + " x "
                    + request.offering() + " (tag " + itemKey + ")", e);
        }
        log.info("bought {} {} for tag {}={}", type().slug(), id, TAG_ITEM, itemKey);
        if (!tagWithRetries(request, id, tags(context))) {
            log.warn("bought {} {} but could not tag it {}={}; a re-drive adopts it by offering, count and start time",
                    type().slug(), id, TAG_ITEM, itemKey);
        }
        return PurchaseOutcome.bought(id, itemKey);
    }

    private Optional<PurchaseOutcome> guard(CommitmentRequest request, PurchaseContext context, String itemKey) {
        Optional<AwsReservation> tagged = findTagged(request, itemKey);
        if (tagged.isPresent()) {
            AwsReservation r = tagged.get();
            if (!sameCommitment(request, r)) {
                throw conflict(request, r, itemKey);
            }
            log.info("{} {} is tagged for this item ({})", type().slug(), r.id(), r.state());
            return Optional.of(PurchaseOutcome.alreadyOwned(r.id(), itemKey));
        }
        Optional<Instant> earliest = context.earliestAttempt();
        if (earliest.isEmpty()) {
            return Optional.empty();
        }
        Instant notBefore = earliest.get().minus(clients.settings().clockSkew());
        OfferingRef offering;
        try {
            // fresh, not cached: adoption compares it with what the cloud holds (Redshift by offering id)
            offering = resolveOffering(request, true);
        } catch (TransientFailureException e) {
            // a refusal (no such offering) propagates as is: nothing is bought either way
            throw new GuardUndecidedException("an earlier attempt of this item may have bought " + type().slug()
                    + ", but its offering could not be looked up to check: " + e.getMessage(), e.cloudCode(), e);
        }
        Optional<AwsReservation> adoptable = findAdoptable(request, offering, notBefore).stream()
                .min(Comparator.comparing(AwsReservation::start));
        if (adoptable.isEmpty()) {
            return Optional.empty();
        }
        AwsReservation r = adoptable.get();
        if (!tagWithRetries(request, r.id(), tags(context))) {
            throw new GuardUndecidedException(type().slug() + " " + r.id() + " matches an earlier attempt of this item"
                    + " but could not be tagged as this item's; nothing was bought, retry later");
        }
        log.info("adopted untagged {} {} (started {}, after the earliest attempt {}) and tagged it {}={}",
                type().slug(), r.id(), r.start(), earliest.get(), TAG_ITEM, itemKey);
        return Optional.of(PurchaseOutcome.alreadyOwned(r.id(), itemKey));
    }

    private boolean tagWithRetries(CommitmentRequest request, String id, Map<String, String> tags) {
        for (int attempt = 1; attempt <= TAG_ATTEMPTS; attempt++) {
            try {
                tag(request, id, tags);
                return true;
            } catch (SdkException e) {
                log.warn("tagging {} {} failed (attempt {} of {}): {}", type().slug(), id, attempt, TAG_ATTEMPTS,
                        AwsFailures.rootCause(e));
            }
        }
        return false;
    }
}
