package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Map;
import java.util.Optional;

/**
 * A type whose purchase takes a caller-chosen key the cloud enforces (RDS, ElastiCache, MemoryDB,
 * OpenSearch): guard by describing the key, buy under it, and on the cloud's AlreadyExists fault
 * (matched by error code) describe and confirm. The purchase is tried up to {@code maxAttempts} times
 * by {@link #purchaseWithRetries} (one HTTP attempt per SDK call), so a try that may have committed is
 * never hidden behind a later throttle.
 */
abstract class KeyedExecutor extends AwsExecutor {

    KeyedExecutor(AwsClients clients, CommitmentType type) {
        super(clients, type);
    }

    /** The API's name of the key, e.g. {@code ReservedDBInstanceId}. */
    abstract String keyName();

    /** The commitment held under {@code key}; empty when the cloud has none. */
    abstract Optional<AwsReservation> describeByKey(CommitmentRequest request, String key);

    /**
     * Buys under {@code key} with one HTTP attempt (a client with SDK retries off; the caller's loop
     * retries); returns the new commitment, with its state when the answer reports one.
     */
    abstract AwsReservation buy(CommitmentRequest request, OfferingRef offering, String key, Map<String, String> tags);

    /** AWS's id is the key for RDS, ElastiCache and MemoryDB; OpenSearch overrides. */
    @Override
    Optional<AwsReservation> describeById(CommitmentRequest request, String id) {
        return describeByKey(request, id);
    }

    /** The error code of this service's AlreadyExists fault for our key. */
    abstract String alreadyExistsCode();

    /** The key for a context; checked against the API's length rule. */
    String key(PurchaseContext context) {
        return itemKey(context);
    }

    @Override
    public DedupeStrength dedupeStrength() {
        return DedupeStrength.SERVER_KEY;
    }

    @Override
    public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
        validate(request);
        return Map.of(keyName(), key(context));
    }

    @Override
    public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context) {
        validate(request);
        String key = key(context);
        log.info("purchase {} {} x {} in {}/{} as {} {} ({})", type().slug(), request.quantity(), request.offering(),
                request.account(), request.region(), keyName(), key, context);
        if (context.idempotent()) {
            refuseIfInFlight(context);
            Optional<AwsReservation> held;
            try {
                held = describeByKey(request, key);
            } catch (SdkException e) {
                throw AwsFailures.guard("looking up " + type().slug() + " " + keyName() + " " + key, e);
            }
            if (held.isPresent()) {
                return owned(request, held.get(), key, false);
            }
        }
        OfferingRef offering = offeringAfterGuard(request, context);
        Map<String, String> tags = tags(context);
        return purchaseWithRetries(request, context, "purchase of " + type().slug() + " " + keyName() + " " + key,
                () -> {
                    AwsReservation bought = buy(request, offering, key, tags);
                    log.info("bought {} {} under {} {} ({})", type().slug(), bought.id(), keyName(), key,
                            bought.state());
                    return PurchaseOutcome.bought(bought.id(), key).confirmingIf(notFinal(bought.state()));
                },
                alreadyExistsCode(), () -> recover(request, key));
    }

    private PurchaseOutcome recover(CommitmentRequest request, String key) {
        log.info("{} {} already exists: describing it to confirm it is this item's", keyName(), key);
        Optional<AwsReservation> held;
        try {
            held = describeByKey(request, key);
        } catch (SdkException e) {
            throw new OutcomeUnknownException("AWS says " + keyName() + " " + key + " exists but describing it failed ("
                    + AwsFailures.rootCause(e) + "); re-drive with the same token to confirm", AwsFailures.code(e), e);
        }
        if (held.isEmpty()) {
            throw new OutcomeUnknownException("AWS says " + keyName() + " " + key + " exists but the describe does"
                    + " not show it yet; re-drive with the same token to confirm", alreadyExistsCode(), null);
        }
        return owned(request, held.get(), key, true);
    }

    private PurchaseOutcome owned(CommitmentRequest request, AwsReservation r, String key, boolean recovered) {
        if (!r.held() || !sameCommitment(request, r)) {
            throw conflict(request, r, key);
        }
        log.info("{} {} under {} {} is already this item's ({})", type().slug(), r.id(), keyName(), key, r.state());
        PurchaseOutcome outcome = recovered ? PurchaseOutcome.recovered(r.id(), key)
                : PurchaseOutcome.alreadyOwned(r.id(), key);
        return outcome.confirmingIf(notFinal(r.state()));
    }
}
