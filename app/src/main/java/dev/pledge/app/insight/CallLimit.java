package dev.pledge.app.insight;

import dev.pledge.common.insight.InsightCalls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One refresh's limit on cloud calls in flight, shared by every source: a call holds one of {@code limit} permits
 * while it runs (its retries and pages included), and a source's independent parts run on a pool of {@code limit}
 * threads, each within a permit, while the source's own thread waits holding none. A call made while its thread
 * already holds a permit (a part that makes several calls) runs within that permit, so no thread ever waits for a
 * second one. Closed at the end of the refresh.
 */
final class CallLimit implements InsightCalls, AutoCloseable {
    private final Semaphore permits;
    private final ExecutorService parts;
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);

    CallLimit(int limit) {
        this.permits = new Semaphore(limit, true);
        this.parts = Executors.newFixedThreadPool(limit, r -> {
            Thread t = new Thread(r, "pledge-insight-call");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> T call(Supplier<T> call) {
        if (holding.get()) {
            return call.get();
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("refresh interrupted while waiting to call the cloud", e);
        }
        holding.set(true);
        try {
            return call.get();
        } finally {
            holding.set(false);
            permits.release();
        }
    }

    @Override
    public <P, T> List<T> each(List<P> list, Function<P, List<T>> perPart) {
        if (list.size() < 2 || holding.get()) {
            List<T> out = new ArrayList<>();
            for (P p : list) {
                out.addAll(call(() -> perPart.apply(p)));
            }
            return out;
        }
        List<Future<List<T>>> futures = new ArrayList<>();
        for (P p : list) {
            futures.add(parts.submit(() -> call(() -> perPart.apply(p))));
        }
        List<T> out = new ArrayList<>();
        try {
            for (Future<List<T>> f : futures) {
                out.addAll(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("refresh interrupted while waiting for the cloud", e);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    @Override
    public void close() {
        parts.shutdownNow();
    }
}
