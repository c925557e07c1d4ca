package dev.pledge.app.testing;

import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keyed cloud in memory with an executor that keeps the SPI contract (guard, buy with the derived
 * key, recover), for engine tests that need faults the emulator cannot script (a purchase that
 * blocks until the test releases it). It also measures how many purchases per account overlap.
 */
public final class InMemoryRdsCloud implements CommitmentExecutor {
    private final Map<String, String> commitmentsByKey = new ConcurrentHashMap<>();
    private final Map<String, String> accountByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlightByAccount = new ConcurrentHashMap<>();
    private final AtomicInteger purchaseRequests = new AtomicInteger();
    private final AtomicInteger maxInFlightPerAccount = new AtomicInteger();
    private final AtomicInteger lookupFailures = new AtomicInteger();
    private final AtomicInteger lostResponses = new AtomicInteger();
    private final AtomicInteger rejections = new AtomicInteger();
    private volatile CountDownLatch hold;
    private volatile long latencyMillis;
    private volatile CountDownLatch holding = new CountDownLatch(1);

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
        return Map.of("reservedDBInstanceId", key(context));
    }

    @Override
    public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context) {
        String key = key(context);
        AtomicInteger inFlight = inFlightByAccount.computeIfAbsent(request.account(), a -> new AtomicInteger());
        maxInFlightPerAccount.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (context.idempotent()) {
                if (lookupFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new GuardUndecidedException("DescribeReservedDBInstances failed: HTTP 503", "ServiceUnavailable", null);
                }
                String owned = commitmentsByKey.get(key);
                if (owned != null) {
                    return PurchaseOutcome.alreadyOwned(owned, key);
                }
            }
            if (rejections.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new PurchaseRejectedException("offering not found", "ReservedDBInstancesOfferingNotFound", null);
            }
            purchaseRequests.incrementAndGet();
            if (latencyMillis > 0) {
                pause(latencyMillis);
            }
            CountDownLatch h = hold;
            if (h != null) {
                holding.countDown();
                await(h);
            }
            String id = "ri-" + UUID.randomUUID();
            String existing = commitmentsByKey.putIfAbsent(key, id);
            accountByKey.putIfAbsent(key, request.account());
            if (existing != null) {
                return PurchaseOutcome.recovered(existing, key);
            }
            if (lostResponses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new OutcomeUnknownException("connection reset after the request was sent", null);
            }
            return PurchaseOutcome.bought(id, key);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public List<ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
        return List.of();
    }

    private static String key(PurchaseContext context) {
        return KeyDerivation.rfc1035Name(context.keySource(), "pledge-");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the held purchase");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- faults ----

    /** Each purchase takes this long in the cloud (so concurrent purchases would overlap). */
    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** The next purchases block after being sent until {@link #release()}. */
    public synchronized void holdPurchases() {
        hold = new CountDownLatch(1);
        holding = new CountDownLatch(1);
    }

    /** Waits until a purchase is blocked in {@link #holdPurchases()}. */
    public void awaitHeldPurchase() throws InterruptedException {
        if (!holding.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no purchase reached the cloud");
        }
    }

    public synchronized void release() {
        if (hold != null) {
            hold.countDown();
            hold = null;
        }
    }

    /** The next {@code n} guard lookups fail (GuardUndecided). */
    public void failLookups(int n) {
        lookupFailures.set(n);
    }

    /** The next {@code n} purchases commit, but their response is lost (OutcomeUnknown). */
    public void loseResponses(int n) {
        lostResponses.set(n);
    }

    /** The next {@code n} purchases are refused (nothing bought). */
    public void reject(int n) {
        rejections.set(n);
    }

    // ---- what the cloud holds ----

    public int commitments() {
        return commitmentsByKey.size();
    }

    public int commitmentsFor(String account) {
        return (int) accountByKey.values().stream().filter(account::equals).count();
    }

    public int purchaseRequests() {
        return purchaseRequests.get();
    }

    public int maxPurchasesInFlightPerAccount() {
        return maxInFlightPerAccount.get();
    }
}
