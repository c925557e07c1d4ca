package dev.pledge.app.testing;

import dev.pledge.common.idempotency.KeyDerivation;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final AtomicInteger unansweredUncommitted = new AtomicInteger();
    private volatile CountDownLatch hold;
    private volatile long latencyMillis;
    private volatile CountDownLatch holding = new CountDownLatch(1);
    private volatile String holdOnlyAccount;
    private volatile CountDownLatch guardHold;
    private final java.util.concurrent.atomic.AtomicBoolean guardArmed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile CountDownLatch guardHolding = new CountDownLatch(1);
    private volatile Duration inFlightBound;
    private final AtomicInteger confirmingPurchases = new AtomicInteger();
    private final Map<String, Deque<Object>> confirmations = new ConcurrentHashMap<>();
    private final AtomicInteger confirmCalls = new AtomicInteger();
    private final Deque<String> adoptions = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final List<PurchaseContext> contexts = new CopyOnWriteArrayList<>();
    private final AtomicInteger gateRefusals = new AtomicInteger();

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
        contexts.add(context);
        Duration bound = inFlightBound;
        if (bound != null) {
            AttemptInFlightException.refuseIfInFlight(context, Instant.now(), bound);
        }
        AtomicInteger inFlight = inFlightByAccount.computeIfAbsent(request.account(), a -> new AtomicInteger());
        maxInFlightPerAccount.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (context.idempotent()) {
                if (lookupFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new GuardUndecidedException("DescribeReservedDBInstances failed: HTTP 503", "ServiceUnavailable", null);
                }
                CountDownLatch g = guardHold;
                if (g != null && guardArmed.compareAndSet(true, false)) {
                    guardHolding.countDown();
                    await(g);
                }
                String adopt = adoptions.poll();
                if (adopt != null) {
                    return PurchaseOutcome.alreadyOwned(adopt, key);
                }
                String owned = commitmentsByKey.get(key);
                if (owned != null) {
                    return PurchaseOutcome.alreadyOwned(owned, key);
                }
            }
            if (rejections.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new PurchaseRejectedException("offering not found", "ReservedDBInstancesOfferingNotFound", null);
            }
            try {
                context.beforePurchaseCall();
            } catch (RuntimeException e) {
                gateRefusals.incrementAndGet();
                throw e;
            }
            purchaseRequests.incrementAndGet();
            if (latencyMillis > 0) {
                pause(latencyMillis);
            }
            CountDownLatch h = hold;
            if (h != null && (holdOnlyAccount == null || holdOnlyAccount.equals(request.account()))) {
                holding.countDown();
                await(h);
            }
            if (unansweredUncommitted.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new OutcomeUnknownException("read timeout after the request was sent", null);
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
            return PurchaseOutcome.bought(id, key)
                    .confirmingIf(confirmingPurchases.getAndUpdate(n -> Math.max(0, n - 1)) > 0);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public List<ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
        return List.of();
    }

    @Override
    public Confirmation confirm(CommitmentRequest request, String commitmentId) {
        confirmCalls.incrementAndGet();
        Deque<Object> script = confirmations.get(commitmentId);
        Object next = script == null ? null : script.size() > 1 ? script.poll() : script.peek();
        if (next instanceof RuntimeException e) {
            throw e;
        }
        return next == null ? Confirmation.pending("Creating") : (Confirmation) next;
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

    /** Like {@link #holdPurchases()}, for purchases of one cloud account only; the others go through. */
    public synchronized void holdPurchasesFor(String account) {
        holdPurchases();
        holdOnlyAccount = account;
    }

    /** The next guard lookup blocks (before anything is bought) until {@link #releaseGuard()}. */
    public synchronized void holdGuard() {
        guardArmed.set(true);
        guardHold = new CountDownLatch(1);
        guardHolding = new CountDownLatch(1);
    }

    public void awaitHeldGuard() throws InterruptedException {
        if (!guardHolding.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no guard lookup reached the cloud");
        }
    }

    public synchronized void releaseGuard() {
        guardArmed.set(false);
        if (guardHold != null) {
            guardHold.countDown();
            guardHold = null;
        }
    }

    /** The guard refuses to buy while the item's latest unfinished attempt is younger than {@code bound}. */
    public void inFlightBound(Duration bound) {
        inFlightBound = bound;
    }

    /** The next {@code n} purchases are bought in a state that is not final yet (confirming). */
    public void confirmingPurchases(int n) {
        confirmingPurchases.set(n);
    }

    /**
     * What {@link #confirm} answers for {@code commitmentId}, in order (the last one repeats): a
     * {@link Confirmation} or a RuntimeException to throw. Unscripted: PENDING.
     */
    public void confirmations(String commitmentId, Object... answers) {
        confirmations.put(commitmentId, new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(answers)));
    }

    public int confirmCalls() {
        return confirmCalls.get();
    }

    /** The next guard finds {@code commitmentId} (e.g. another item's) and returns it as already owned. */
    public void adoptNext(String commitmentId) {
        adoptions.add(commitmentId);
    }

    /** Every context a purchase was called with, in order. */
    public List<PurchaseContext> contexts() {
        return List.copyOf(contexts);
    }

    /** Purchases the caller's gate refused (nothing sent). */
    public int gateRefusals() {
        return gateRefusals.get();
    }

    public synchronized void release() {
        if (hold != null) {
            hold.countDown();
            hold = null;
        }
        holdOnlyAccount = null;
    }

    /** The next {@code n} guard lookups fail (GuardUndecided). */
    public void failLookups(int n) {
        lookupFailures.set(n);
    }

    /** The next {@code n} purchases commit, but their response is lost (OutcomeUnknown). */
    public void loseResponses(int n) {
        lostResponses.set(n);
    }

    /**
     * The next {@code n} purchases are sent and get no answer, and the cloud did not commit them
     * (the caller cannot tell: OutcomeUnknown). A later guard finds nothing.
     */
    public void loseUncommitted(int n) {
        unansweredUncommitted.set(n);
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
