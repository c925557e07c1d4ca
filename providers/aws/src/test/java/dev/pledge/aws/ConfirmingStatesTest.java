package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, defect 7 (AWS): a commitment AWS holds in a state that is not final yet
 * ({@code payment-pending}, {@code pending-payment}, {@code queued}, {@code pending}) is returned as a
 * confirming outcome, and {@code confirm} follows it by id to ACTIVE or FAILED, against the emulator.
 */
class ConfirmingStatesTest {
    /** The lookup each type's confirm sends, by operation name. */
    private static final Map<CommitmentType, String> DESCRIBE = Map.of(
            CommitmentType.AWS_EC2, "DescribeReservedInstances",
            CommitmentType.AWS_REDSHIFT, "DescribeReservedNodes",
            CommitmentType.AWS_RDS, "DescribeReservedDBInstances",
            CommitmentType.AWS_ELASTICACHE, "DescribeReservedCacheNodes",
            CommitmentType.AWS_MEMORYDB, "DescribeReservedNodes",
            CommitmentType.AWS_OPENSEARCH, "DescribeReservedInstances",
            CommitmentType.AWS_SAVINGS_PLAN, "DescribeSavingsPlans");
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeEach
    void reset() {
        control.reset();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void a_payment_pending_commitment_found_by_the_guard_is_confirming_not_final(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        PurchaseContext context = context();
        Commitment held = place(type, context, "payment-pending", Instant.now().minus(Duration.ofMinutes(3)));

        PurchaseOutcome outcome = executor.purchase(SampleRequests.of(type), context);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(outcome.commitmentId()).isEqualTo(held.id());
        assertThat(outcome.confirming()).as("payment-pending is not final").isTrue();
        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.PURCHASE)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void an_active_commitment_found_by_the_guard_is_final(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        PurchaseContext context = context();
        place(type, context, "active", Instant.now().minus(Duration.ofMinutes(3)));

        PurchaseOutcome outcome = executor.purchase(SampleRequests.of(type), context);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(outcome.confirming()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void confirm_follows_the_commitment_by_id_from_pending_to_active_or_failed(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        CommitmentRequest request = SampleRequests.of(type);
        Instant start = Instant.now().minus(Duration.ofMinutes(3));
        Commitment c = place(type, context(), "payment-pending", start);

        assertThat(executor.confirm(request, c.id()).state()).isEqualTo(Confirmation.State.PENDING);
        assertThat(control.requestCount(Cloud.AWS, DESCRIBE.get(type))).as("the describe sent").isEqualTo(1);

        control.addCommitment(c.withState("queued"));
        assertThat(executor.confirm(request, c.id()).state()).isEqualTo(Confirmation.State.PENDING);

        control.addCommitment(c.withState("active"));
        assertThat(executor.confirm(request, c.id())).isEqualTo(Confirmation.active("active"));

        control.addCommitment(c.withState("payment-failed"));
        assertThat(executor.confirm(request, c.id()))
                .satisfies(conf -> {
                    assertThat(conf.state()).isEqualTo(Confirmation.State.FAILED);
                    assertThat(conf.detail()).contains("payment-failed");
                });

        control.addCommitment(c.withState("retired"));
        assertThat(executor.confirm(request, c.id()))
                .as("retired long before its term ran out: the order did not go through")
                .satisfies(conf -> {
                    assertThat(conf.state()).isEqualTo(Confirmation.State.FAILED);
                    assertThat(conf.detail()).contains("retired");
                });
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void a_failed_lookup_while_confirming_is_undecided(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        Commitment c = place(type, context(), "payment-pending", Instant.now());
        control.inject(FaultSpec.error(Cloud.AWS, type.slug(), DESCRIBE.get(type), 20, 500, null));

        assertThatThrownBy(() -> executor.confirm(SampleRequests.of(type), c.id()))
                .isInstanceOf(GuardUndecidedException.class);
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void a_commitment_not_found_is_pending_for_a_grace_period_then_failed(CommitmentType type) {
        MutableClock clock = new MutableClock(Instant.now());
        List<CommitmentExecutor> executors = new AwsExecutorProvider().create(SharedEmulator.settings()
                .withClock(clock));
        try {
            CommitmentExecutor executor = executors.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
            String missing = type == CommitmentType.AWS_EC2 || type == CommitmentType.AWS_REDSHIFT
                    || type == CommitmentType.AWS_OPENSEARCH || type == CommitmentType.AWS_SAVINGS_PLAN
                    ? UUID.randomUUID().toString() : "pledge-0000000000000000000000000000000000000000deadbeef";

            assertThat(executor.confirm(SampleRequests.of(type), missing).state())
                    .as("not found at first: describes can lag").isEqualTo(Confirmation.State.PENDING);
            clock.advance(SharedEmulator.settings().pollTimeout().minusSeconds(1));
            assertThat(executor.confirm(SampleRequests.of(type), missing).state())
                    .isEqualTo(Confirmation.State.PENDING);
            clock.advance(Duration.ofSeconds(2));
            assertThat(executor.confirm(SampleRequests.of(type), missing))
                    .satisfies(conf -> {
                        assertThat(conf.state()).isEqualTo(Confirmation.State.FAILED);
                        assertThat(conf.detail()).contains("not found");
                    });
        } finally {
            executors.forEach(CommitmentExecutor::close);
        }
    }

    private static PurchaseContext context() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-confirm", List.of());
    }

    /** Places the item's commitment the way each type's guard finds it: under its key or with its tag. */
    private Commitment place(CommitmentType type, PurchaseContext context, String state, Instant start) {
        CommitmentRequest request = SampleRequests.of(type);
        Offering offering = control.offerings().stream()
                .filter(o -> o.type().equals(type.slug()) && o.product().equals(request.offering())
                        && o.term().equals(request.term().slug()) && o.payment().equals(request.payment().slug())
                        && (o.region().equals(request.region()) || o.region().equals("global")))
                .findFirst().orElseThrow();
        String itemKey = AwsExecutor.itemKey(context);
        boolean lookupGuard = Set.of(CommitmentType.AWS_EC2, CommitmentType.AWS_REDSHIFT).contains(type);
        String key = switch (type) {
            case AWS_EC2, AWS_REDSHIFT -> null;
            case AWS_SAVINGS_PLAN -> SavingsPlanExecutor.clientToken(context);
            default -> itemKey;
        };
        boolean idIsKey = key != null && type != CommitmentType.AWS_OPENSEARCH
                && type != CommitmentType.AWS_SAVINGS_PLAN;
        Map<String, String> attributes = type == CommitmentType.AWS_SAVINGS_PLAN
                ? Map.of("commitment", request.attribute("hourlyCommitment")) : Map.of();
        Commitment c = new Commitment(Cloud.AWS, type.slug(), request.account(), offering.region(),
                idIsKey ? key : UUID.randomUUID().toString(), key, offering, request.quantity(),
                lookupGuard || type == CommitmentType.AWS_SAVINGS_PLAN ? AwsExecutor.tags(context) : Map.of(),
                start, state, attributes);
        control.addCommitment(c);
        return c;
    }
}
