package dev.pledge.common.contract;

import dev.pledge.common.idempotency.KeyCharset;
import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cloud in memory, with one keyed purchase API, for the contract kit's own tests: it lets the
 * kit be run against a correct executor (must pass) and a careless one (must fail).
 */
final class InMemoryCloud implements ContractFixture {
    private final Map<String, String> commitmentsByKey = new LinkedHashMap<>();
    private int purchases;
    private int lookups;
    private boolean lookupsFail;
    private boolean hideNextLookup;
    private boolean resetAfterCommit;

    static CommitmentRequest sampleRequest() {
        return new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012", "us-east-1", "db.r6g.large",
                2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
    }

    // ---- the cloud's API, as an executor sees it ----

    synchronized String describe(String key) {
        lookups++;
        if (lookupsFail) {
            throw new IllegalStateException("HTTP 503 Service Unavailable");
        }
        if (hideNextLookup) {
            hideNextLookup = false;
            return null;
        }
        return commitmentsByKey.get(key);
    }

    /** Buys under {@code key}; returns the commitment id or throws AlreadyExists. */
    synchronized String buy(String key) {
        purchases++;
        if (commitmentsByKey.containsKey(key)) {
            throw new AlreadyExists(key);
        }
        String id = "ri-" + UUID.randomUUID();
        commitmentsByKey.put(key, id);
        if (resetAfterCommit) {
            resetAfterCommit = false;
            throw new java.io.UncheckedIOException(new java.net.SocketException("Connection reset"));
        }
        return id;
    }

    static final class AlreadyExists extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyExists(String key) {
            super("ReservedDBInstanceAlreadyExists: " + key);
        }
    }

    // ---- ContractFixture ----

    @Override
    public synchronized void reset() {
        commitmentsByKey.clear();
        purchases = 0;
        lookups = 0;
        lookupsFail = false;
        hideNextLookup = false;
        resetAfterCommit = false;
    }

    @Override
    public synchronized int purchaseRequests() {
        return purchases;
    }

    @Override
    public synchronized int lookupRequests() {
        return lookups;
    }

    @Override
    public synchronized int commitments() {
        return commitmentsByKey.size();
    }

    @Override
    public synchronized void arrangeAlreadyExists(CommitmentRequest request, PurchaseContext context) {
        commitmentsByKey.put(Idempotent.key(context), "ri-" + UUID.randomUUID());
        hideNextLookup = true;
    }

    @Override
    public synchronized void failLookups() {
        lookupsFail = true;
    }

    @Override
    public synchronized void resetAfterCommitOnNextPurchase() {
        resetAfterCommit = true;
    }

    /** Keeps the contract: guard, buy with the derived key, recover on AlreadyExists. */
    static final class Idempotent implements CommitmentExecutor {
        private static final Logger log = LoggerFactory.getLogger(Idempotent.class);
        private final InMemoryCloud cloud;

        Idempotent(InMemoryCloud cloud) {
            this.cloud = cloud;
        }

        static String key(PurchaseContext ctx) {
            return KeyDerivation.reservationId(ctx.keySource(), "pledge-", 63, KeyCharset.LOWER_ALNUM_HYPHEN);
        }

        @Override
        public CommitmentType type() {
            return CommitmentType.AWS_RDS;
        }

        @Override
        public DedupeStrength dedupeStrength() {
            return DedupeStrength.SERVER_KEY;
        }

        @Override
        public void validate(CommitmentRequest request) {
        }

        @Override
        public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
            return Map.of("reservationId", key(context));
        }

        @Override
        public List<dev.pledge.common.spi.ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
            return List.of();
        }

        @Override
        public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext ctx) {
            String key = key(ctx);
            log.info("purchasing {} x{} as {} ({})", request.offering(), request.quantity(), key, ctx);
            if (ctx.idempotent()) {
                String existing;
                try {
                    existing = cloud.describe(key);
                } catch (IllegalStateException e) {
                    throw new GuardUndecidedException("could not look up " + key + "; nothing bought", e);
                }
                if (existing != null) {
                    return PurchaseOutcome.alreadyOwned(existing, key);
                }
            }
            try {
                return PurchaseOutcome.bought(cloud.buy(key), key);
            } catch (AlreadyExists e) {
                String existing = cloud.describe(key);
                return PurchaseOutcome.recovered(existing, key);
            } catch (java.io.UncheckedIOException e) {
                throw new OutcomeUnknownException("no answer for " + key + "; re-drive with the same token", e);
            }
        }
    }

    /** Ignores the token: no guard, a random key per call. The kit must catch it. */
    static final class Careless implements CommitmentExecutor {
        private static final Logger log = LoggerFactory.getLogger(Careless.class);
        private final InMemoryCloud cloud;

        Careless(InMemoryCloud cloud) {
            this.cloud = cloud;
        }

        @Override
        public CommitmentType type() {
            return CommitmentType.AWS_RDS;
        }

        @Override
        public DedupeStrength dedupeStrength() {
            return DedupeStrength.SERVER_KEY;
        }

        @Override
        public void validate(CommitmentRequest request) {
        }

        @Override
        public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
            return Map.of();
        }

        @Override
        public List<dev.pledge.common.spi.ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
            return List.of();
        }

        @Override
        public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext ctx) {
            String key = "pledge-" + UUID.randomUUID();
            log.info("purchasing {} as {}", request.offering(), key);
            try {
                return PurchaseOutcome.bought(cloud.buy(key), key);
            } catch (java.io.UncheckedIOException e) {
                throw new OutcomeUnknownException("no answer", e);
            }
        }
    }
}
