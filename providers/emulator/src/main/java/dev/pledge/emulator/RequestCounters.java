package dev.pledge.emulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts recognised requests per call, including ones answered with an injected fault. */
final class RequestCounters {
    private final Map<CloudCall, AtomicInteger> counts = new ConcurrentHashMap<>();

    void count(CloudCall call) {
        counts.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
    }

    List<RequestCount> snapshot() {
        return counts.entrySet().stream().map(e -> new RequestCount(e.getKey(), e.getValue().get()))
                .sorted(java.util.Comparator.comparing((RequestCount r) -> r.call().cloud())
                        .thenComparing(r -> String.valueOf(r.call().type()))
                        .thenComparing(r -> r.call().operation()))
                .toList();
    }

    void clear() {
        counts.clear();
    }
}
