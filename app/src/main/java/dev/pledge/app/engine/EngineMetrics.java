package dev.pledge.app.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the engine counts. Names are stable: dashboards and alerts use them. */
public class EngineMetrics {
    /** A worker's write found the execution owned by it but changed nothing: a bug or corruption. */
    public static final String OWNED_WRITE_UNCHANGED = "pledge.engine.owned.write.unchanged";
    /** A worker's write found the execution no longer owned by it (its lease was taken over). */
    public static final String LEASE_LOST = "pledge.engine.lease.lost";
    public static final String CLAIMS = "pledge.engine.claims";
    public static final String PURCHASES = "pledge.purchases";
    public static final String APPROVAL_TO_START = "pledge.execution.approval.to.start";
    public static final String SWEPT = "pledge.engine.swept";
    /** A worker loop iteration failed (database unreachable, deadlock, bug); the worker retries after the poll interval. */
    public static final String WORKER_ERRORS = "pledge.engine.worker.errors";

    /** A worker handed an execution back (busy purchase lock, or an attempt possibly still in flight). */
    public static final String HANDED_BACK = "pledge.engine.handed.back";
    /** The cloud returned a commitment another item records: the item was failed for a person to check. */
    public static final String COMMITMENT_CONFLICTS = "pledge.engine.commitment.conflicts";
    /** Confirmations of not-yet-final purchases, by what the cloud said (pending, active, failed, error). */
    public static final String CONFIRMATIONS = "pledge.engine.confirmations";

    private final MeterRegistry registry;
    // registered once: a meter looked up per execution (builder, id, tags, registry map) cost more than its increment
    private final Counter claims;
    private final Timer approvalToStart;
    private final Map<String, Counter> purchases = new ConcurrentHashMap<>();

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.claims = registry.counter(CLAIMS);
        this.approvalToStart = Timer.builder(APPROVAL_TO_START).register(registry);
    }

    void ownedWriteUnchanged(String write) {
        Counter.builder(OWNED_WRITE_UNCHANGED).tag("write", write)
                .description("worker writes that found their execution owned but changed nothing")
                .register(registry).increment();
    }

    void leaseLost(String write) {
        Counter.builder(LEASE_LOST).tag("write", write)
                .description("worker writes refused because another worker owns the execution now")
                .register(registry).increment();
    }

    void claimed(Duration sinceApproval) {
        claims.increment();
        if (sinceApproval != null && !sinceApproval.isNegative()) {
            approvalToStart.record(sinceApproval);
        }
    }

    void purchase(String outcome) {
        purchases.computeIfAbsent(outcome, o -> Counter.builder(PURCHASES).tag("outcome", o).register(registry))
                .increment();
    }

    void swept(String sweep, int rows) {
        Counter.builder(SWEPT).tag("sweep", sweep).register(registry).increment(rows);
    }

    void handedBack() {
        registry.counter(HANDED_BACK).increment();
    }

    void commitmentConflict() {
        registry.counter(COMMITMENT_CONFLICTS).increment();
    }

    void confirmation(String state) {
        Counter.builder(CONFIRMATIONS).tag("state", state).register(registry).increment();
    }

    void workerError() {
        registry.counter(WORKER_ERRORS).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
