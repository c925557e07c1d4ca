package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Offering lookups an executor may reuse for a while: AWS's offering ids are stable, so a second
 * purchase with the same attributes need not ask again. Only found offerings are kept ("no such
 * offering" is asked again every time, so a new offering is found at once); an entry lives
 * {@code ttl} from when it was stored (by {@code clock}; a clock that went back expires it too), the
 * oldest entries go first beyond {@code maxEntries}, and an executor forgets an entry when AWS
 * refuses a purchase of it. A TTL of zero disables the cache. Guard lookups never come here.
 *
 * <p>Thread-safe: the map is guarded by this object's lock, held only for map operations, never
 * during a cloud call. Callers that miss at the same time each look up and store; they store the
 * same stable id.
 */
final class OfferingCache {
    static final int DEFAULT_MAX_ENTRIES = 256;

    /**
     * What an offering lookup depends on: the type (so the service), the account and region (so the
     * client and catalog), and every request field the lookup reads. Quantity is left out (prices are
     * per unit); all attributes are kept, so two requests share an entry only if the executor would
     * send the same lookup and compute the same {@link OfferingRef}.
     */
    record Key(CommitmentType type, String account, String region, String offering, Term term,
               PaymentOption payment, Map<String, String> attributes) {
        Key {
            attributes = Map.copyOf(attributes);
        }

        static Key of(CommitmentRequest r) {
            return new Key(r.type(), r.account(), r.region(), r.offering(), r.term(), r.payment(), r.attributes());
        }
    }

    private record Entry(OfferingRef offering, Instant storedAt) {
    }

    private final Duration ttl;
    private final Clock clock;
    private final int maxEntries;
    /** Insertion order: the eldest entry is the one stored longest ago (a re-store moves it to the end). */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    OfferingCache(Duration ttl, Clock clock, int maxEntries) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("offering cache TTL must not be negative, was " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("offering cache size must be positive, was " + maxEntries);
        }
        this.ttl = ttl;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    boolean enabled() {
        return !ttl.isZero();
    }

    /** The offering stored for {@code key} if it is younger than the TTL. */
    synchronized Optional<OfferingRef> get(Key key) {
        if (!enabled()) {
            return Optional.empty();
        }
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isBefore(e.storedAt()) || !now.isBefore(e.storedAt().plus(ttl))) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.offering());
    }

    synchronized void put(Key key, OfferingRef offering) {
        if (!enabled()) {
            return;
        }
        entries.remove(key);
        entries.put(key, new Entry(offering, clock.instant()));
        while (entries.size() > maxEntries) {
            Key eldest = entries.keySet().iterator().next();
            entries.remove(eldest);
        }
    }

    /** Forgets {@code key}: the next lookup asks AWS. */
    synchronized void invalidate(Key key) {
        entries.remove(key);
    }

    synchronized void clear() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }
}
