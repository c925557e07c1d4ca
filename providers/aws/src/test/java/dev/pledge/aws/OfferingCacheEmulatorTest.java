package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The offering cache of all seven executors against the emulator, counted by the emulator per
 * call kind: offering lookups ({@code OFFERINGS}) are reused, guard lookups ({@code LOOKUP}) and
 * purchases never are. Executors are built per test with their own cache and the test's clock.
 */
class OfferingCacheEmulatorTest {
    private final EmulatorClient control = SharedEmulator.emulator().client();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final List<CommitmentExecutor> opened = new ArrayList<>();

    @BeforeEach
    void reset() {
        control.reset();
    }

    @AfterEach
    void close() {
        opened.forEach(CommitmentExecutor::close);
    }

    private CommitmentExecutor executor(CommitmentType type, Duration ttl) {
        List<CommitmentExecutor> all = new AwsExecutorProvider().create(SharedEmulator.settings().withClock(clock)
                .withOfferingCacheTtl(ttl));
        opened.addAll(all);
        return all.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }

    private static PurchaseContext newItem() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-cache", List.of());
    }

    private int count(CommitmentType type, CallKind kind) {
        return control.requestCount(Cloud.AWS, type.slug(), kind);
    }

    private static CommitmentRequest rds(String dbClass) {
        return new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012", "us-east-1", dbClass, 1, Term.ONE_YEAR,
                PaymentOption.NO_UPFRONT, Map.of());
    }

    /** Requests per kind that two purchases of new items with the same attributes make. */
    private Map<CallKind, Integer> twoPurchases(CommitmentType type, Duration ttl) {
        control.reset();
        CommitmentExecutor executor = executor(type, ttl);
        CommitmentRequest request = SampleRequests.of(type);
        assertThat(executor.purchase(request, newItem()).kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(executor.purchase(request, newItem()).kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(control.commitments(Cloud.AWS, type.slug())).hasSize(2);
        return Map.of(CallKind.OFFERINGS, count(type, CallKind.OFFERINGS), CallKind.LOOKUP, count(type, CallKind.LOOKUP),
                CallKind.PURCHASE, count(type, CallKind.PURCHASE));
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ALL)
    void every_type_reuses_its_offering_lookup_but_sends_every_guard_and_purchase(CommitmentType type) {
        Map<CallKind, Integer> uncached = twoPurchases(type, Duration.ZERO);
        Map<CallKind, Integer> cached = twoPurchases(type, Duration.ofMinutes(5));

        assertThat(uncached.get(CallKind.OFFERINGS)).as("without the cache").isEqualTo(2);
        assertThat(cached.get(CallKind.OFFERINGS)).as("with the cache").isEqualTo(1);
        assertThat(cached.get(CallKind.LOOKUP)).as("guard lookups, the same as without the cache")
                .isEqualTo(uncached.get(CallKind.LOOKUP)).isGreaterThanOrEqualTo(2);
        assertThat(cached.get(CallKind.PURCHASE)).isEqualTo(2);
    }

    @Test
    void concurrent_purchases_from_several_threads_each_guard_and_buy_and_share_the_lookup() throws Exception {
        CommitmentExecutor executor = executor(CommitmentType.AWS_RDS, Duration.ofMinutes(5));
        int threads = 8;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int coldLookups;
        try {
            // cold: every thread may miss at once; each buys, and they all buy the one offering
            List<PurchaseOutcome> cold = race(pool, threads, 1, () -> executor.purchase(rds("db.r6g.large"), newItem()));
            coldLookups = count(CommitmentType.AWS_RDS, CallKind.OFFERINGS);
            assertThat(cold).hasSize(threads).allSatisfy(o -> assertThat(o.kind()).isEqualTo(OutcomeKind.BOUGHT));
            assertThat(coldLookups).isBetween(1, threads);

            // warm: no thread looks up again, every purchase still sends its own guard
            List<PurchaseOutcome> warm = race(pool, threads, perThread,
                    () -> executor.purchase(rds("db.r6g.large"), newItem()));
            assertThat(warm).hasSize(threads * perThread)
                    .allSatisfy(o -> assertThat(o.kind()).isEqualTo(OutcomeKind.BOUGHT));
        } finally {
            pool.shutdownNow();
        }
        int purchases = threads + threads * perThread;
        assertThat(count(CommitmentType.AWS_RDS, CallKind.LOOKUP)).as("guards").isEqualTo(purchases);
        assertThat(count(CommitmentType.AWS_RDS, CallKind.PURCHASE)).isEqualTo(purchases);
        List<Commitment> held = control.commitments(Cloud.AWS, "aws-rds");
        assertThat(held).hasSize(purchases);
        assertThat(held).extracting(Commitment::key).doesNotHaveDuplicates();
        String seeded = Offering.stableId("aws-rds", "us-east-1", "db.r6g.large", "1y", "no-upfront");
        assertThat(held).allSatisfy(c -> assertThat(c.offering().offeringId()).isEqualTo(seeded));
        assertThat(count(CommitmentType.AWS_RDS, CallKind.OFFERINGS)).as("no lookup in the warm round")
                .isEqualTo(coldLookups);
    }

    @Test
    void warm_concurrent_purchases_make_no_offering_lookup_at_all() throws Exception {
        CommitmentExecutor executor = executor(CommitmentType.AWS_RDS, Duration.ofMinutes(5));
        executor.purchase(rds("db.m5.large"), newItem());
        assertThat(count(CommitmentType.AWS_RDS, CallKind.OFFERINGS)).isEqualTo(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<PurchaseOutcome> outcomes = race(pool, 6, 4, () -> executor.purchase(rds("db.m5.large"), newItem()));
            assertThat(outcomes).hasSize(24).allSatisfy(o -> assertThat(o.kind()).isEqualTo(OutcomeKind.BOUGHT));
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(CommitmentType.AWS_RDS, CallKind.OFFERINGS)).isEqualTo(1);
        assertThat(count(CommitmentType.AWS_RDS, CallKind.LOOKUP)).isEqualTo(25);
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(25);
    }

    /** {@code threads} workers start together and each makes {@code calls} calls; all outcomes. */
    private static List<PurchaseOutcome> race(ExecutorService pool, int threads, int calls,
                                              java.util.concurrent.Callable<PurchaseOutcome> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<PurchaseOutcome>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                go.await();
                List<PurchaseOutcome> mine = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    mine.add(call.call());
                }
                return mine;
            }));
        }
        go.countDown();
        List<PurchaseOutcome> all = new ArrayList<>();
        for (Future<List<PurchaseOutcome>> f : futures) {
            all.addAll(f.get(60, TimeUnit.SECONDS));
        }
        return all;
    }

    @Test
    void a_purchase_refused_as_offering_not_found_is_rejected_and_the_redrive_looks_the_offering_up_again() {
        CommitmentExecutor executor = executor(CommitmentType.AWS_RDS, Duration.ofMinutes(5));
        executor.purchase(rds("db.t3.medium"), newItem());
        control.inject(FaultSpec.error(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering", 1, 404,
                "ReservedDBInstancesOfferingNotFound"));
        PurchaseContext item = newItem();

        assertThatThrownBy(() -> executor.purchase(rds("db.t3.medium"), item))
                .isInstanceOfSatisfying(PurchaseRejectedException.class,
                        e -> assertThat(e.cloudCode()).isEqualTo("ReservedDBInstancesOfferingNotFound"));
        assertThat(count(CommitmentType.AWS_RDS, CallKind.OFFERINGS)).as("the refused attempt used the cache")
                .isEqualTo(1);
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(1);

        PurchaseOutcome redrive = executor.purchase(rds("db.t3.medium"), item);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(count(CommitmentType.AWS_RDS, CallKind.OFFERINGS)).as("the re-drive looked it up afresh")
                .isEqualTo(2);
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(2)
                .filteredOn(c -> c.key().equals(AwsExecutor.itemKey(item))).hasSize(1);
    }

    @Test
    void an_offering_put_on_sale_after_a_not_found_is_found_by_the_next_attempt() {
        CommitmentExecutor executor = executor(CommitmentType.AWS_RDS, Duration.ofMinutes(5));
        PurchaseContext item = newItem();
        assertThatThrownBy(() -> executor.purchase(rds("db.r7g.large"), item))
                .isInstanceOfSatisfying(PurchaseRejectedException.class,
                        e -> assertThat(e.cloudCode()).isEqualTo("OfferingNotFound"));

        control.addOffering(new Offering(Cloud.AWS, "aws-rds", "us-east-1",
                Offering.stableId("aws-rds", "us-east-1", "db.r7g.large", "1y", "no-upfront"), "db.r7g.large", "1y",
                "no-upfront", "postgresql", "USD", BigDecimal.ZERO, new BigDecimal("0.29"), Map.of("multiAZ", "false")));
        PurchaseOutcome outcome = executor.purchase(rds("db.r7g.large"), item);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(count(CommitmentType.AWS_RDS, CallKind.OFFERINGS)).isEqualTo(2);
    }

    @Test
    void ttl_expiry_by_the_injected_clock_makes_a_new_lookup() {
        CommitmentExecutor executor = executor(CommitmentType.AWS_ELASTICACHE, Duration.ofMinutes(5));
        CommitmentRequest request = SampleRequests.of(CommitmentType.AWS_ELASTICACHE);
        executor.purchase(request, newItem());
        clock.advance(Duration.ofMinutes(4));
        executor.purchase(request, newItem());
        assertThat(count(CommitmentType.AWS_ELASTICACHE, CallKind.OFFERINGS)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        executor.purchase(request, newItem());

        assertThat(count(CommitmentType.AWS_ELASTICACHE, CallKind.OFFERINGS)).isEqualTo(2);
        assertThat(count(CommitmentType.AWS_ELASTICACHE, CallKind.PURCHASE)).isEqualTo(3);
    }

    @Test
    void a_lookup_guard_redrive_checks_adoption_by_attributes_and_buys_with_the_cached_offering() {
        CommitmentExecutor ec2 = executor(CommitmentType.AWS_EC2, Duration.ofMinutes(5));
        CommitmentRequest request = SampleRequests.of(CommitmentType.AWS_EC2);
        ec2.purchase(request, newItem());
        assertThat(count(CommitmentType.AWS_EC2, CallKind.OFFERINGS)).isEqualTo(1);
        // another item's earlier attempt bought nothing that is still untagged: the guard looks for adoptable ones
        control.reset();
        PurchaseContext redrive = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-cache",
                List.of(Instant.now().minusSeconds(30)));

        PurchaseOutcome outcome = ec2.purchase(request, redrive);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(count(CommitmentType.AWS_EC2, CallKind.OFFERINGS))
                .as("adoption matches attributes, not an offering id: the purchase reuses the cached offering")
                .isZero();
        assertThat(count(CommitmentType.AWS_EC2, CallKind.PURCHASE)).isEqualTo(1);
    }
}
