package dev.pledge.app.testing;

import dev.pledge.app.account.Account;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.CredentialSource;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link TestCloud} on the project's emulator, reached by the real executors (found with
 * {@link ExecutorRegistry#load}, real SDK clients over HTTP). It buys RDS reserved DB instances:
 * a keyed API (ReservedDBInstanceId), so a re-drive must find the earlier purchase by its key.
 * Executors make one attempt per call here, so one injected fault is exactly one failed call.
 */
public final class EmulatorTestCloud implements TestCloud {
    static final String TYPE = "aws-rds";
    static final String REGION = "us-east-1";
    static final String PURCHASE = "PurchaseReservedDBInstancesOffering";
    static final String LOOKUP = "DescribeReservedDBInstances";
    private static final AtomicLong ACCOUNTS = new AtomicLong(400_000_000_000L);

    private final Emulator emulator;
    private final ExecutorRegistry registry;
    private final Offering offering;

    public EmulatorTestCloud() {
        emulator = Emulator.builder().build().start();
        ProviderSettings settings = new ProviderSettings(emulator.baseUrl(), Duration.ofSeconds(10), 1,
                Duration.ofMillis(50), Duration.ofSeconds(20), Duration.ofMinutes(5), CredentialSource.DEFAULT_CHAIN,
                Clock.systemUTC());
        registry = ExecutorRegistry.load(settings);
        offering = emulator.state().offerings(Cloud.AWS, TYPE, REGION).stream()
                .filter(o -> "1y".equals(o.term()) && "no-upfront".equals(o.payment()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the emulator seeds no 1y no-upfront RDS offering"));
    }

    public Emulator emulator() {
        return emulator;
    }

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
        // the RDS executor takes the DB instance class and, where several exist, the product description
        Map<String, String> attributes = offering.description().isBlank() ? Map.of()
                : Map.of("productDescription", offering.description());
        return new NewItem(account.id(), TYPE, REGION, offering.product(), n + 1, "1y", "no-upfront", attributes);
    }

    @Override
    public int commitments(Account account) {
        return emulator.state().commitments(Cloud.AWS, TYPE, account.externalId(), REGION).size();
    }

    @Override
    public int purchaseRequests() {
        return emulator.client().requestCount(Cloud.AWS, TYPE, CallKind.PURCHASE);
    }

    @Override
    public void loseNextPurchaseResponse() {
        emulator.inject(FaultSpec.of(Cloud.AWS, TYPE, PURCHASE, FaultKind.RESET_AFTER_COMMIT, 1));
    }

    @Override
    public void failNextLookup() {
        emulator.inject(FaultSpec.error(Cloud.AWS, TYPE, LOOKUP, 1, 503, "ServiceUnavailable"));
    }

    @Override
    public void rejectNextPurchase() {
        emulator.inject(FaultSpec.error(Cloud.AWS, TYPE, PURCHASE, 1, 400, "InvalidParameterCombination"));
    }

    @Override
    public void resetCounts() {
        emulator.clearFaults();
        emulator.client().reset();
    }

    @Override
    public void close() {
        registry.close();
        emulator.close();
    }
}
