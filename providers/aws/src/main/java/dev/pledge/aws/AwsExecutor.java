package dev.pledge.aws;

import dev.pledge.common.idempotency.KeyCharset;
import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What the seven AWS executors share: validation, item keys and tags, offering lookup, quotes, recent purchases. */
abstract class AwsExecutor implements CommitmentExecutor {
    static final String TAG_ITEM = "pledge:item-token";
    static final String TAG_EXECUTION = "pledge:execution";
    static final String KEY_PREFIX = "pledge-";
    private static final java.util.regex.Pattern AWS_ACCOUNT = java.util.regex.Pattern.compile("\\d{12}");

    protected final Logger log = LoggerFactory.getLogger(getClass());
    protected final AwsClients clients;
    private final CommitmentType type;
    private volatile Runnable onClose = () -> { };
    private boolean closed;

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
            return lookUpOffering(request, false).map(o -> new PriceQuote(o.currency(),
                    o.upfront().multiply(BigDecimal.valueOf(request.quantity())),
                    o.hourly().multiply(BigDecimal.valueOf(request.quantity())), "hour", o.offeringId()));
        } catch (SdkException e) {
            log.warn("price lookup for {} {} failed: {}", type.slug(), request.offering(), AwsFailures.rootCause(e));
            return Optional.empty();
        }
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
}
