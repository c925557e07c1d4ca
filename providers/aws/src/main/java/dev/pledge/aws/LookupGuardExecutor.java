package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A type whose purchase takes no caller key (EC2 Reserved Instances, Redshift reserved nodes):
 * only our lookup protects. The guard looks for the item's tag; failing that, it adopts an untagged
 * held commitment with the same attributes only when exactly one such commitment, recorded by no
 * other item ({@link PurchaseContext#takenCommitments()}), started inside the window of one of the
 * item's own attempts that may have bought ({@link PurchaseContext#inAdoptionWindow}); with no such
 * attempt nothing is adopted. Several candidates are undecided, unless the item has identical undecided
 * siblings in its execution ({@link PurchaseContext#undecidedSiblings()}): those are fungible, so with at
 * most {@code 1 + undecidedSiblings} candidates the item adopts the earliest (by start, then id) and tags
 * it; the next sibling then finds it tagged and taken. More candidates than that means something outside
 * the execution bought too: undecided. The purchase call is made exactly once
 * (SDK retries off); the tag call after it has bounded retries.
 */
abstract class LookupGuardExecutor extends AwsExecutor {
    static final int TAG_ATTEMPTS = 3;

    LookupGuardExecutor(AwsClients clients, CommitmentType type) {
        super(clients, type);
    }

    /** The held commitment tagged with this item key, if any. */
    abstract Optional<AwsReservation> findTagged(CommitmentRequest request, String itemKey);

    /**
     * Held commitments with the request's attributes (product, count, term, payment) that carry no item
     * tag, whenever they started: the guard narrows them to its attempts' windows.
     */
    abstract List<AwsReservation> findAdoptable(CommitmentRequest request);

    /** Buys once (no SDK retries); returns the new commitment (its state when the answer reports one). */
    abstract AwsReservation buyOnce(CommitmentRequest request, OfferingRef offering);

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
            refuseIfInFlight(context);
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
        OfferingRef offering = offeringAfterGuard(request, context);
        String what = "purchase of " + type().slug() + " " + request.quantity() + " x " + request.offering()
                + " (tag " + itemKey + ")";
        passGate(context, false, what);
        AwsReservation bought;
        try {
            bought = buyOnce(request, offering);
        } catch (SdkException e) {
            throw purchaseFailed(request, what, e);
        }
        String id = bought.id();
        log.info("bought {} {} ({}) for tag {}={}", type().slug(), id, bought.state(), TAG_ITEM, itemKey);
        if (!tagWithRetries(request, id, tags(context))) {
            log.warn("bought {} {} but could not tag it {}={}; a re-drive adopts it by attributes inside the"
                    + " window of this attempt", type().slug(), id, TAG_ITEM, itemKey);
        }
        return PurchaseOutcome.bought(id, itemKey).confirmingIf(notFinal(bought.state()));
    }

    private Optional<PurchaseOutcome> guard(CommitmentRequest request, PurchaseContext context, String itemKey) {
        Optional<AwsReservation> tagged = findTagged(request, itemKey);
        if (tagged.isPresent()) {
            AwsReservation r = tagged.get();
            if (!sameCommitment(request, r)) {
                throw conflict(request, r, itemKey);
            }
            log.info("{} {} is tagged for this item ({})", type().slug(), r.id(), r.state());
            return Optional.of(PurchaseOutcome.alreadyOwned(r.id(), itemKey).confirmingIf(notFinal(r.state())));
        }
        if (context.attemptsThatMayHaveBought().isEmpty()) {
            return Optional.empty();
        }
        Duration skew = clients.settings().clockSkew();
        Duration longestCall = clients.settings().longestPurchaseCall();
        List<AwsReservation> candidates = findAdoptable(request).stream()
                .filter(r -> !context.takenCommitments().contains(r.id()))
                .filter(r -> context.inAdoptionWindow(r.start(), skew, longestCall))
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        int siblings = context.undecidedSiblings();
        if (candidates.size() > 1 + siblings) {
            throw new GuardUndecidedException(candidates.size() + " untagged " + type().slug() + " commitments "
                    + candidates.stream().map(r -> r.id() + " (started " + r.start() + ")").toList()
                    + " match this item and started inside the windows of its earlier attempts that may have bought,"
                    + " more than this item and its " + siblings + " undecided sibling" + (siblings == 1 ? "" : "s")
                    + " of this execution can account for; which one is this item's cannot be told. Nothing was"
                    + " bought: tag the item's own with " + TAG_ITEM + "=" + itemKey
                    + " (or have the others' items record theirs), then re-drive");
        }
        // identical undecided siblings are fungible: the earliest candidate is as much this item's as any
        AwsReservation r = candidates.stream()
                .min(Comparator.comparing(AwsReservation::start, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(AwsReservation::id))
                .orElseThrow();
        if (candidates.size() > 1) {
            log.info("{} untagged {} candidates for tag {}={} with {} undecided identical sibling(s) in execution {}:"
                    + " taking the earliest, {}", candidates.size(), type().slug(), TAG_ITEM, itemKey, siblings,
                    context.executionId(), r.id());
        }
        if (!tagWithRetries(request, r.id(), tags(context))) {
            throw new GuardUndecidedException(type().slug() + " " + r.id() + " matches an earlier attempt of this item"
                    + " but could not be tagged as this item's; no purchase was sent, retry later");
        }
        log.info("adopted untagged {} {} (started {}, inside the window of an earlier attempt that may have bought)"
                + " and tagged it {}={}", type().slug(), r.id(), r.start(), TAG_ITEM, itemKey);
        return Optional.of(PurchaseOutcome.alreadyOwned(r.id(), itemKey).confirmingIf(notFinal(r.state())));
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
