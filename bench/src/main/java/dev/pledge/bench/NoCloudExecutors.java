package dev.pledge.bench;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import org.springframework.beans.factory.config.BeanPostProcessor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For {@code engine-throughput --executor none}: the app's executor registry with one type's executor
 * replaced by one that validates and derives keys like the real one but makes no cloud call and
 * reports the purchase as bought at once. It isolates the engine (claim, write-ahead, outcome,
 * finish, purchase lock) from the SDK and the emulator, which is what the db-scheduler baseline
 * (a no-op task) compares with. Bench only: never on the app's class path.
 */
final class NoCloudExecutors implements BeanPostProcessor {
    private final CommitmentType type;

    NoCloudExecutors(CommitmentType type) {
        this.type = type;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof ExecutorRegistry registry)) {
            return bean;
        }
        List<CommitmentExecutor> executors = new ArrayList<>();
        for (CommitmentExecutor e : registry.all()) {
            executors.add(e.type() == type ? new NoCloud(e) : e);
        }
        return new ExecutorRegistry(executors);
    }

    private record NoCloud(CommitmentExecutor real) implements CommitmentExecutor {
        @Override
        public CommitmentType type() {
            return real.type();
        }

        @Override
        public DedupeStrength dedupeStrength() {
            return real.dedupeStrength();
        }

        @Override
        public void validate(CommitmentRequest request) {
            real.validate(request);
        }

        @Override
        public Map<String, String> derivedKeys(CommitmentRequest request, PurchaseContext context) {
            return real.derivedKeys(request, context);
        }

        @Override
        public PurchaseOutcome purchase(CommitmentRequest request, PurchaseContext context) {
            String key = derivedKeys(request, context).values().iterator().next();
            return PurchaseOutcome.bought("bench-" + key, key);
        }

        @Override
        public List<ExistingCommitment> recentPurchases(CommitmentRequest request, Instant since) {
            return List.of();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
