package dev.pledge.aws;

import dev.pledge.common.idempotency.KeyCharset;
import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.MissingCommitments;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** What the seven AWS executors share: validation, item keys and tags, offering lookup, quotes, recent purchases. */
abstract class AwsExecutor implements CommitmentExecutor {
    static final String TAG_ITEM = "pledge:item-token";
    static final String TAG_EXECUTION = "pledge:execution";
    static final String KEY_PREFIX = "pledge-";
    private static final java.util.regex.Pattern AWS_ACCOUNT = java.util.regex.Pattern.compile("\\d{12}");

    protected final Logger log = LoggerFactory.getLogger(getClass());
    protected final AwsClients clients;
    private final CommitmentType type;
    /** States in which the cloud holds the commitment but has not finished the order (asked again later). */
    static final Set<String> PENDING_STATES = Set.of("payment-pending", "pending-payment", "queued", "pending",
            "pending-return", "exchanging");
    /** Final states in which nothing is held (the order failed, or a queued purchase was deleted or returned). */
    static final Set<String> FAILED_STATES = Set.of("payment-failed", "queued-deleted", "returned");
    private static final Duration RETRY_BASE = Duration.ofMillis(100);
    private static final Duration THROTTLED_RETRY_BASE = Duration.ofMillis(500);
    private static final Duration RETRY_CAP = Duration.ofSeconds(5);

    private volatile Runnable onClose = () -> { };
    private boolean closed;
    /** When {@link #confirm} first found a commitment missing, by account, region and id (describes can lag). */
    private final MissingCommitments missing = new MissingCommitments();

    AwsExecutor(AwsClients clients, CommitmentType type) {
        this.clients = clients;
        this.type = type;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    @Override
    public void forgetAccount(String account) {
        clients.forget(account);
    }

    /** Releases this executor's share of the SDK clients; the last executor closed closes them. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }

    @Override
    public final CommitmentType type() {
        return type;
    }

    /** Attributes this type reads; any other is refused. */
    abstract Set<String> attributeNames();

    /** Type-specific checks beyond the attribute names. */
    void validateAttributes(CommitmentRequest request) {
    }

    /** Finds the offering the request asks for; empty when the catalog has none. */
    abstract Optional<OfferingRef> findOffering(CommitmentRequest request);

    /** Every commitment of this type in the request's account and region. */
    abstract List<AwsReservation> listReservations(CommitmentRequest request);

    /** The commitment with AWS's id {@code id}; empty when AWS reports none. Lookup failures propagate. */
    abstract Optional<AwsReservation> describeById(CommitmentRequest request, String id);

    @Override
    public final void validate(CommitmentRequest request) {
        if (request.type() != type) {
            throw new ValidationException("type", "this executor buys " + type.slug() + ", not " + request.type().slug());
        }
        if (!AWS_ACCOUNT.matcher(request.account()).matches()) {
            throw new ValidationException("account", "must be a 12-digit AWS account id, was '" + request.account() + "'");
        }
        for (String key : request.attributes().keySet()) {
            if (!attributeNames().contains(key)) {
                throw new ValidationException("attributes." + key, "is not used by " + type.slug() + "; allowed: "
                        + (attributeNames().isEmpty() ? "none" : String.join(", ", new TreeSet<>(attributeNames()))));
            }
        }
        validateAttributes(request);
        clients.checkCredentials(request.account());
    }

    /**
     * The item's key: {@code pledge-} and the first 48 hex digits of the item token (55 characters,
     * never the whole token). It is the caller key where the API takes one, and the value of the
     * {@code pledge:item-token} tag everywhere.
     */
    static String itemKey(PurchaseContext context) {
        return KeyDerivation.reservationId(context.keySource(), KEY_PREFIX, 64, KeyCharset.LOWER_ALNUM_HYPHEN);
    }

    /** Tags every commitment gets: the item key and, when there is one, the execution. */
    static Map<String, String> tags(PurchaseContext context) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_ITEM, itemKey(context));
        if (context.executionId() != null && !context.executionId().isBlank()) {
            tags.put(TAG_EXECUTION, context.executionId());
        }
        return tags;
    }

    /** AWS's spelling of the request's payment option ({@code No Upfront}, ...). */
    static String offeringType(CommitmentRequest request) {
        return request.payment().cloudName();
    }

    static long durationSeconds(CommitmentRequest request) {
        return request.term().awsDurationSeconds();
    }

    /**
     * The offering, or a refusal saying what is not sold; lookup failures never buy anything. Served
     * from the offering cache when a lookup with the same attributes is younger than its TTL.
     */
    OfferingRef resolveOffering(CommitmentRequest request) {
        return resolveOffering(request, false);
    }

    /**
     * As {@link #resolveOffering(CommitmentRequest)}; {@code fresh} always asks AWS (and stores the
     * answer), for callers that compare the offering id with what the cloud holds.
     */
    OfferingRef resolveOffering(CommitmentRequest request, boolean fresh) {
        Optional<OfferingRef> offering;
        try {
            offering = lookUpOffering(request, fresh);
        } catch (SdkException e) {
            throw AwsFailures.beforePurchase("looking up the " + type.slug() + " offering", e);
        }
        return offering.orElseThrow(() -> new PurchaseRejectedException("no " + type.slug() + " offering for "
                + request.offering() + ", " + request.term().slug() + ", " + request.payment().slug() + " in "
                + request.region() + "; check offering, term and payment", "OfferingNotFound", null));
    }

    /**
     * {@link #findOffering} through the cache: a cached offering if there is one (unless
     * {@code fresh}), else a lookup whose found offering is stored. "No such offering" and failures
     * are not stored.
     */
    Optional<OfferingRef> lookUpOffering(CommitmentRequest request, boolean fresh) {
        OfferingCache cache = clients.offerings();
        OfferingCache.Key key = OfferingCache.Key.of(request);
        if (!fresh) {
            Optional<OfferingRef> cached = cache.get(key);
            if (cached.isPresent()) {
                log.debug("{} offering for {} from the cache: {}", type.slug(), request.offering(),
                        cached.get().offeringId());
                return cached;
            }
        }
        Optional<OfferingRef> found = findOffering(request);
        found.ifPresent(o -> cache.put(key, o));
        return found;
    }

    /**
     * A failure of the purchase call, mapped as {@link AwsFailures#purchase}. A refusal (4xx) may
     * mean the offering id is unknown or retired (RDS {@code ReservedDBInstancesOfferingNotFound},
     * ElastiCache {@code ReservedCacheNodesOfferingNotFound}, MemoryDB
     * {@code ReservedNodesOfferingNotFoundFault}, Redshift {@code ReservedNodeOfferingNotFound},
     * OpenSearch and Savings Plans {@code ResourceNotFoundException}, EC2 an invalid offering id), so
     * any refusal forgets the cached offering: the next attempt looks it up afresh. The failure
     * itself is unchanged.
     */
    PurchaseException purchaseFailed(CommitmentRequest request, String what, SdkException e) {
        PurchaseException failure = AwsFailures.purchase(what, e);
        if (failure instanceof PurchaseRejectedException) {
            clients.offerings().invalidate(OfferingCache.Key.of(request));
            log.debug("{} purchase refused ({}): cached offering for {} forgotten", type.slug(),
                    failure.cloudCode(), request.offering());
        }
        return failure;
    }

    /** The same product, quantity, term and payment as the request (where the describe reports them). */
    boolean sameCommitment(CommitmentRequest request, AwsReservation r) {
        return request.offering().equalsIgnoreCase(r.product()) && request.quantity() == r.quantity()
                && (r.durationSeconds() == 0 || r.durationSeconds() == durationSeconds(request))
                && (r.paymentType() == null || r.paymentType().replace('_', ' ')
                .equalsIgnoreCase(offeringType(request)));
    }

    /** A held commitment under our key that is not what this item asks for: nothing is bought, a person must look. */
    KeyConflictException conflict(CommitmentRequest request, AwsReservation r, String key) {
        return new KeyConflictException(type.slug() + " " + r.id() + " under key " + key + " is " + r.quantity()
                + " x " + r.product() + " (" + r.state() + "), but this item asks for " + request.quantity() + " x "
                + request.offering() + " " + request.term().slug() + " " + request.payment().slug()
                + "; nothing was bought. Check the item against the cloud before re-driving.");
    }

    @Override
    public Optional<PriceQuote> quote(CommitmentRequest request) {
        validate(request);
        try {
            return lookUpOffering(request, false).map(o -> priceOf(request, o));
        } catch (SdkException e) {
            log.warn("price lookup for {} {} failed: {}", type.slug(), request.offering(), AwsFailures.rootCause(e));
            return Optional.empty();
        }
    }

    /** The price of the whole request at this offering's unit price. */
    PriceQuote priceOf(CommitmentRequest request, OfferingRef o) {
        return new PriceQuote(o.currency(), o.upfront().multiply(BigDecimal.valueOf(request.quantity())),
                o.hourly().multiply(BigDecimal.valueOf(request.quantity())), "hour", o.offeringId());
    }

    @Override
    public List<ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
        validate(request);
        List<AwsReservation> all;
        try {
            all = listReservations(request);
        } catch (SdkException e) {
            throw AwsFailures.guard("listing " + type.slug() + " commitments in " + request.account() + "/"
                    + request.region(), e);
        }
        return all.stream()
                .filter(r -> request.offering().equalsIgnoreCase(r.product()))
                .filter(r -> r.start() != null && !r.start().isBefore(since))
                .map(r -> new ExistingCommitment(r.id(), r.key() != null ? r.key() : r.tags().get(TAG_ITEM),
                        r.product(), r.quantity(), r.start(), r.state() == null ? null
                        : r.state().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /**
     * Issue 14: an unfinished attempt of this item younger than {@link dev.pledge.common.spi.ProviderSettings#inFlightBound()}
     * may still be buying; this call then waits ({@link AttemptInFlightException}) before any request is sent.
     */
    void refuseIfInFlight(PurchaseContext context) {
        AttemptInFlightException.refuseIfInFlight(context, clients.settings().clock().instant(),
                clients.settings().inFlightBound());
    }

    /**
     * The offering for a purchase whose guard has looked and found nothing. When an earlier attempt of the
     * item may have bought, a failed lookup must not say "nothing was bought" (the cloud may hold the earlier
     * attempt's commitment where the guard could not see it): it is undecided, and asked again later.
     */
    OfferingRef offeringAfterGuard(CommitmentRequest request, PurchaseContext context) {
        try {
            if (context.priceCeiling().isEmpty()) {
                return resolveOffering(request);
            }
            // issue 16: an approved price is checked against a fresh lookup, never the cache
            OfferingRef offering = resolveOffering(request, true);
            context.priceCeiling().get().check(type.slug() + " " + request.quantity() + " x " + request.offering(),
                    Optional.of(priceOf(request, offering)));
            return offering;
        } catch (PurchaseException e) {
            if (!context.idempotent() || !context.hasUnknownAttempt()) {
                throw e;
            }
            throw new GuardUndecidedException("an earlier attempt of this item may have bought " + type.slug()
                    + " and looking up the offering for this one failed (" + (e.cloudCode() != null ? e.cloudCode()
                    : e.kind()) + "), so the item cannot be told \"nothing was bought\"; nothing was sent now,"
                    + " retry later", e.cloudCode(), e);
        }
    }

    /**
     * Runs the caller's purchase gate right before a purchase request. A refusal sends nothing: it is
     * undecided, or, when an earlier try of this call may have committed, an unknown outcome.
     */
    void passGate(PurchaseContext context, boolean earlierTryMayHaveCommitted, String what) {
        try {
            context.beforePurchaseCall();
        } catch (RuntimeException e) {
            if (earlierTryMayHaveCommitted) {
                throw new OutcomeUnknownException(what + ": an earlier try may have been bought (its answer was"
                        + " lost) and the purchase gate refused the next try (" + e.getMessage() + "); re-drive"
                        + " with the same token and the guard decides", null, e);
            }
            if (e instanceof GuardUndecidedException g) {
                throw g;
            }
            throw new GuardUndecidedException("the purchase gate refused " + what + " (" + e + "); nothing was"
                    + " sent", e);
        }
    }

    /**
     * The purchase call of a type whose cloud dedupes our key (keyed types, Savings Plans' clientToken),
     * tried up to {@code maxAttempts} times by this loop, one HTTP attempt per SDK call, so every try is
     * classified: when any try may have committed, the failure is an unknown outcome whatever the last try
     * said; "nothing was bought" only when every try provably did not commit. The gate runs before each
     * try. An AlreadyExists fault ({@code alreadyExistsCode}, null when the API has none) for our key goes
     * to {@code recover}.
     */
    <T> T purchaseWithRetries(CommitmentRequest request, PurchaseContext context, String what, Supplier<T> send,
                              String alreadyExistsCode, Supplier<T> recover) {
        int tries = clients.settings().maxAttempts();
        long deadline = System.nanoTime() + clients.settings().longestPurchaseCall().toNanos();
        boolean mayHaveCommitted = false;
        PurchaseException last = null;
        int sent = 0;
        for (int attempt = 1; attempt <= tries; attempt++) {
            passGate(context, mayHaveCommitted, what);
            sent++;
            try {
                return send.get();
            } catch (SdkException e) {
                if (alreadyExistsCode != null && AwsFailures.hasCode(e, alreadyExistsCode)
                        && (context.idempotent() || mayHaveCommitted)) {
                    return recover.get();
                }
                last = purchaseFailed(request, what, e);
                mayHaveCommitted |= last instanceof OutcomeUnknownException;
                if (last instanceof PurchaseRejectedException || attempt == tries) {
                    break;
                }
                Duration pause = backoff(attempt, e instanceof AwsServiceException a && a.isThrottlingException());
                if (System.nanoTime() + pause.plus(clients.settings().callTimeout()).toNanos() > deadline) {
                    break;
                }
                log.warn("{} try {} of {} failed ({}); trying again in {} ms", what, attempt, tries,
                        last.kind(), pause.toMillis());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (mayHaveCommitted && !(last instanceof OutcomeUnknownException)) {
            throw new OutcomeUnknownException(what + ": a try may have been bought (its answer was lost) and the"
                    + " last of " + sent + " tries failed with " + (last.cloudCode() != null ? last.cloudCode()
                    : last.kind()) + "; it may have been bought: re-drive with the same token and the guard decides",
                    last.cloudCode(), last);
        }
        throw last;
    }

    /** Exponential backoff with jitter: half to all of base x 2^(attempt-1), capped. */
    private static Duration backoff(int attempt, boolean throttled) {
        long base = (throttled ? THROTTLED_RETRY_BASE : RETRY_BASE).toMillis() << Math.min(attempt - 1, 10);
        long ceiling = Math.min(base, RETRY_CAP.toMillis());
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /** True unless the cloud reported the commitment active: anything else is followed with {@link #confirm}. */
    static boolean notFinal(String state) {
        return state == null || !"active".equalsIgnoreCase(state);
    }

    /**
     * Describes the commitment by AWS's id and maps its state: {@code active} is ACTIVE; the pending states
     * are PENDING; {@code payment-failed}, {@code queued-deleted}, {@code returned}, or {@code retired} before
     * its term ran out are FAILED; not found is PENDING for {@link dev.pledge.common.spi.ProviderSettings#pollTimeout()}
     * after the first miss (describes lag), then FAILED. A failed lookup is undecided.
     */
    @Override
    public Confirmation confirm(CommitmentRequest request, String commitmentId) {
        validate(request);
        if (commitmentId == null || commitmentId.isBlank()) {
            throw new ValidationException("commitmentId", "is required");
        }
        Optional<AwsReservation> found;
        try {
            found = describeById(request, commitmentId);
        } catch (SdkException e) {
            String code = AwsFailures.code(e);
            throw new GuardUndecidedException("describing " + type.slug() + " " + commitmentId + " to confirm it"
                    + " failed (" + (code != null ? code : AwsFailures.rootCause(e)) + "); its state is unknown,"
                    + " asked again later", code, e);
        }
        Instant now = clients.settings().clock().instant();
        String missingKey = request.account() + "/" + request.region() + "/" + commitmentId;
        if (found.isEmpty()) {
            Duration grace = clients.settings().pollTimeout();
            return missing.stillYoung(missingKey, now, grace, type.slug() + " " + commitmentId + " (AWS describes can lag)")
                    .orElseGet(() -> Confirmation.failed(type.slug() + " " + commitmentId + " not found in "
                            + request.account() + "/" + request.region() + " for longer than " + grace
                            + ": AWS holds no such commitment"));
        }
        missing.found(missingKey);
        return confirmation(found.get(), now);
    }

    static Confirmation confirmation(AwsReservation r, Instant now) {
        String state = r.state() == null ? "" : r.state().toLowerCase(Locale.ROOT);
        if (state.equals("active")) {
            return Confirmation.active("active");
        }
        if (PENDING_STATES.contains(state)) {
            return Confirmation.pending(state);
        }
        if (state.equals("retired")) {
            boolean termRanOut = r.start() != null && r.durationSeconds() > 0
                    && !r.start().plusSeconds(r.durationSeconds()).isAfter(now);
            return termRanOut ? Confirmation.active("retired after its term ended")
                    : Confirmation.failed("retired before its term ended (started " + r.start()
                    + "): the order did not go through; nothing is held");
        }
        if (FAILED_STATES.contains(state)) {
            return Confirmation.failed(state + ": nothing is held");
        }
        return Confirmation.pending("state '" + r.state() + "' is not known to be final; asked again later");
    }
}
