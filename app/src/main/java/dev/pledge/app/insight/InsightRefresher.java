package dev.pledge.app.insight;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.common.insight.InsightException;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.InsightRegistry;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Refreshes inventory and recommendations for every enabled account and every type its cloud's sources
 * cover, with at most {@code concurrency} cloud calls in flight (a source's independent calls, such as its regions,
 * go at once within that limit). A throttled or transiently failing fetch is tried again after
 * a doubling pause; one that still fails leaves its previous generation current and marks it stale.
 */
public class InsightRefresher {
    private static final Logger log = LoggerFactory.getLogger(InsightRefresher.class);
    private final InsightRegistry registry;
    private final InsightStore store;
    private final AccountService accounts;
    private final InsightProperties properties;

    public InsightRefresher(InsightRegistry registry, InsightStore store, AccountService accounts,
                            InsightProperties properties) {
        this.registry = registry;
        this.store = store;
        this.accounts = accounts;
        this.properties = properties;
    }

    /** What one refresh did. */
    public record Summary(int sources, int refreshed, int failed, int recommendations, int commitments,
                          List<String> failures) {
    }

    private record Task(String kind, Account account, CommitmentType type) {
    }

    /** Refreshes everything; {@code progress} hears "done/total" after each source. */
    public Summary refreshAll(Consumer<String> progress) {
        List<Task> tasks = new ArrayList<>();
        for (Account a : accounts.list()) {
            if (!a.enabled()) {
                continue;
            }
            for (CommitmentType t : CommitmentType.values()) {
                if (t.cloud() != a.cloud()) {
                    continue;
                }
                if (registry.inventory(t).isPresent()) {
                    tasks.add(new Task(InsightStore.INVENTORY, a, t));
                }
                if (registry.recommendations(t).isPresent()) {
                    tasks.add(new Task(InsightStore.RECOMMENDATIONS, a, t));
                }
            }
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger recs = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        // concurrency bounds the calls in flight (CallLimit); twice as many sources at a time keep the limit busy
        // while some sources are in the database or waiting for their parts
        CallLimit limit = new CallLimit(properties.concurrency());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(2 * properties.concurrency(),
                Math.max(1, tasks.size())), r -> {
            Thread t = new Thread(r, "pledge-insight-refresh");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    String failure = run(task, limit, recs, held);
                    if (failure != null) {
                        failures.add(failure);
                    }
                    progress.accept(done.incrementAndGet() + "/" + tasks.size());
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(String.valueOf(e.getCause()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("refresh interrupted", e);
        } finally {
            pool.shutdownNow();
            limit.close();
        }
        log.info("insight refresh: {} source(s), {} failed, {} recommendation(s), {} commitment(s)", tasks.size(),
                failures.size(), recs.get(), held.get());
        java.util.Map<String, Long> timings = new java.util.TreeMap<>();
        phases.forEach((k, v) -> timings.put(k, v.sum() / 1_000_000));
        phases.clear();
        lastTimings = java.util.Collections.unmodifiableMap(timings);
        log.debug("insight refresh: milliseconds per cloud and phase, summed over the workers: {}", timings);
        return new Summary(tasks.size(), tasks.size() - failures.size(), failures.size(), recs.get(), held.get(),
                List.copyOf(failures));
    }

    private volatile java.util.Map<String, Long> lastTimings = java.util.Map.of();

    /**
     * Milliseconds the last refresh spent per cloud and phase ({@code "aws cloud"}: in the provider's calls,
     * client set-up included; {@code "aws store"}: in PostgreSQL; {@code "aws mark"}: telling the cloud what was
     * bought), summed over the workers. For the benchmark and for debugging.
     */
    public java.util.Map<String, Long> lastTimings() {
        return lastTimings;
    }

    private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> phases =
            new java.util.concurrent.ConcurrentHashMap<>();

    private void time(Task task, String phase, long startNanos) {
        phases.computeIfAbsent(task.type().cloud().slug() + " " + phase,
                k -> new java.util.concurrent.atomic.LongAdder()).add(System.nanoTime() - startNanos);
    }

    /** One source; null when it succeeded, else what failed. */
    private String run(Task task, CallLimit limit, AtomicInteger recs, AtomicInteger held) {
        long t = System.nanoTime();
        long generation = store.begin(task.kind(), task.account().id(), task.type().slug());
        time(task, "store", t);
        String where = task.kind() + " " + task.type().slug() + " of account " + task.account().externalId();
        long pause = properties.backoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                if (InsightStore.INVENTORY.equals(task.kind())) {
                    t = System.nanoTime();
                    var rows = registry.inventory(task.type()).orElseThrow().list(InsightQuery.inventory(task.type(),
                            task.account().externalId(), task.type().cloud() == Cloud.AWS ? properties.awsRegions()
                                    : List.of()).withCalls(limit));
                    time(task, "cloud", t);
                    t = System.nanoTime();
                    store.completeInventory(generation, task.account().id(), task.type().slug(), rows);
                    time(task, "store", t);
                    held.addAndGet(rows.size());
                } else {
                    t = System.nanoTime();
                    markBought(task, limit);
                    time(task, "mark", t);
                    PaymentOption payment = task.type().cloud() == Cloud.AWS ? properties.awsPaymentValue() : null;
                    t = System.nanoTime();
                    List<String> regions = recommendationRegions(task);
                    time(task, "store", t);
                    t = System.nanoTime();
                    var rows = registry.recommendations(task.type()).orElseThrow().fetch(new InsightQuery(task.type(),
                            task.account().externalId(), regions, properties.termValue(), payment,
                            properties.lookbackValue(), limit));
                    time(task, "cloud", t);
                    t = System.nanoTime();
                    store.completeRecommendations(generation, task.account().id(), task.type().slug(), rows);
                    time(task, "store", t);
                    recs.addAndGet(rows.size());
                }
                return null;
            } catch (InsightException e) {
                if (e.transientFailure() && attempt < properties.attempts()) {
                    log.info("{}: {} (attempt {}), trying again in {} ms", where, e.getMessage(), attempt, pause);
                    sleep(pause);
                    pause *= 2;
                    continue;
                }
                log.warn("{} failed; the previous generation stays, marked stale: {}", where, e.getMessage());
                store.fail(generation, task.kind(), task.account().id(), task.type().slug(), e.getMessage());
                return where + ": " + e.getMessage();
            } catch (RuntimeException e) {
                log.warn("{} failed; the previous generation stays, marked stale", where, e);
                store.fail(generation, task.kind(), task.account().id(), task.type().slug(), e.toString());
                return where + ": " + e;
            }
        }
    }

    /**
     * Tells the cloud which of its recommendations Pledge bought (GCP asks integrators to: markClaimed, then
     * markSucceeded, each with the etag the last returned), before fetching new ones. Each accepted mark is
     * recorded at once, so a crash or a transient failure resumes where it stopped on the next refresh; a mark
     * the cloud refuses (the recommendation is gone, the etag moved on) is recorded with the reason and dropped.
     */
    private void markBought(Task task, CallLimit limit) {
        var source = registry.recommendations(task.type()).orElseThrow();
        for (InsightStore.BoughtProposal p : store.boughtUnmarked(task.account().id(), task.type().slug())) {
            String name = p.source().cloudRecommendationId();
            try {
                String etag = p.etag();
                if (p.mark() == null) {
                    String sent = etag;
                    etag = limit.call(() -> source.markClaimed(p.source(), sent));
                    store.marked(p.recommendation(), "CLAIMED", etag);
                }
                String claimed = etag;
                etag = limit.call(() -> source.markSucceeded(p.source(), claimed));
                store.marked(p.recommendation(), "SUCCEEDED", etag);
                log.info("recommendation {} marked succeeded at the cloud", name);
            } catch (InsightException e) {
                if (e.transientFailure()) {
                    throw e; // the task's backoff tries again; what was marked is recorded
                }
                log.warn("recommendation {}: the cloud refused the mark, not trying again: {}", name, e.getMessage());
                store.markRefused(p.recommendation(), e.getMessage());
            }
        }
    }

    /**
     * GCP's recommender is regional: the configured regions plus those where the account holds or Pledge bought a
     * commitment of the type. The other clouds answer per account (empty: the source's own scope).
     */
    private List<String> recommendationRegions(Task task) {
        if (task.type().cloud() != Cloud.GCP) {
            return List.of();
        }
        java.util.Set<String> regions = new java.util.TreeSet<>(properties.gcpRegions());
        regions.addAll(store.knownRegions(task.account().id(), task.type().slug()));
        return List.copyOf(regions);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("refresh interrupted", e);
        }
    }
}
