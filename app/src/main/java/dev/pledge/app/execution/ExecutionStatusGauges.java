package dev.pledge.app.execution;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * {@code pledge.executions{status}}: executions per status for dashboards, read from the counters
 * (one small query per scrape, shared by every status gauge read within a second).
 */
@Component
public class ExecutionStatusGauges implements MeterBinder {
    private final ExecutionRepository repository;
    private Map<ExecutionStatus, Long> snapshot = Map.of();
    private long snapshotAt;

    ExecutionStatusGauges(ExecutionRepository repository) {
        this.repository = repository;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ExecutionStatus status : ExecutionStatus.values()) {
            Gauge.builder("pledge.executions", () -> count(status))
                    .tag("status", status.name())
                    .description("executions per status, from the status counters")
                    .register(registry);
        }
    }

    private synchronized double count(ExecutionStatus status) {
        long now = System.nanoTime();
        if (snapshot.isEmpty() || now - snapshotAt > 1_000_000_000L) {
            snapshot = repository.counts();
            snapshotAt = now;
        }
        return snapshot.getOrDefault(status, 0L);
    }
}
