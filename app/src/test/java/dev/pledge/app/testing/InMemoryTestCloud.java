package dev.pledge.app.testing;

import dev.pledge.app.account.Account;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ExecutorRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** {@link TestCloud} over {@link InMemoryRdsCloud}. */
public final class InMemoryTestCloud implements TestCloud {
    private static final AtomicLong ACCOUNTS = new AtomicLong(300_000_000_000L);
    private final InMemoryRdsCloud cloud = new InMemoryRdsCloud();
    private final ExecutorRegistry registry = new ExecutorRegistry(List.of(cloud));
    private int purchasesAtReset;

    @Override
    public ExecutorRegistry executors() {
        return registry;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    public String newExternalAccountId() {
        return String.valueOf(ACCOUNTS.incrementAndGet());
    }

    @Override
    public NewItem item(Account account, int n) {
        return new NewItem(account.id(), "aws-rds", "us-east-1", "db.r6g.large", n + 1, "1y", "no-upfront", Map.of());
    }

    @Override
    public int commitments(Account account) {
        return cloud.commitmentsFor(account.externalId());
    }

    @Override
    public int purchaseRequests() {
        return cloud.purchaseRequests() - purchasesAtReset;
    }

    @Override
    public void loseNextPurchaseResponse() {
        cloud.loseResponses(1);
    }

    @Override
    public void failNextLookup() {
        cloud.failLookups(1);
    }

    @Override
    public void rejectNextPurchase() {
        cloud.reject(1);
    }

    @Override
    public void resetCounts() {
        purchasesAtReset = cloud.purchaseRequests();
        cloud.loseResponses(0);
        cloud.failLookups(0);
        cloud.reject(0);
    }
}
