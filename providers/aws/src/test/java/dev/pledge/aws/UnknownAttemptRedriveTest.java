package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, defect 3: once an attempt of the item may have bought, no failure before the guard has
 * decided may say "nothing was bought" (REJECTED or TRANSIENT): it is undecided until the guard can look.
 */
class UnknownAttemptRedriveTest {
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeEach
    void reset() {
        control.reset();
    }

    /** The EC2 answer is lost; at the re-drive the offering lookup is refused (403). */
    @Test
    void an_ec2_redrive_whose_offering_lookup_is_refused_still_finds_the_lost_reservation() {
        CommitmentExecutor ec2 = SharedEmulator.executor(CommitmentType.AWS_EC2);
        PurchaseContext first = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-refused", List.of());
        Instant started = Instant.now();
        control.inject(FaultSpec.of(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering",
                FaultKind.RESET_AFTER_COMMIT, 1));
        assertThatThrownBy(() -> ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"), first))
                .isInstanceOfSatisfying(PurchaseException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN));
        Instant finished = Instant.now();
        String bought = control.commitments(Cloud.AWS, "aws-ec2").get(0).id();

        control.inject(FaultSpec.error(Cloud.AWS, "aws-ec2", "DescribeReservedInstancesOfferings", 20, 403,
                "UnauthorizedOperation"));
        PurchaseContext redrive = PurchaseContext.withAttempts(first.keySource(), first.executionId(),
                List.of(new Attempt(started, finished, true)));
        PurchaseOutcome outcome = ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"), redrive);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(outcome.commitmentId()).isEqualTo(bought);
        assertThat(control.requestCount(Cloud.AWS, "PurchaseReservedInstancesOffering")).isEqualTo(1);
    }

    static Stream<Arguments> refusedOrThrottledOfferingLookups() {
        return Stream.of(
                Arguments.of(CommitmentType.AWS_EC2, "m5.large", "DescribeReservedInstancesOfferings", 403,
                        "UnauthorizedOperation"),
                Arguments.of(CommitmentType.AWS_REDSHIFT, "ra3.xlplus", "DescribeReservedNodeOfferings", 403,
                        "AccessDenied"),
                Arguments.of(CommitmentType.AWS_RDS, "db.r6g.large", "DescribeReservedDBInstancesOfferings", 403,
                        "AccessDenied"),
                Arguments.of(CommitmentType.AWS_ELASTICACHE, "cache.m5.large", "DescribeReservedCacheNodesOfferings",
                        403, "AccessDenied"),
                Arguments.of(CommitmentType.AWS_MEMORYDB, "db.r6g.xlarge", "DescribeReservedNodesOfferings", 400,
                        "AccessDeniedException"),
                Arguments.of(CommitmentType.AWS_OPENSEARCH, "m6g.large.search", "DescribeReservedInstanceOfferings",
                        403, "AccessDeniedException"),
                Arguments.of(CommitmentType.AWS_SAVINGS_PLAN, "Compute", "DescribeSavingsPlansOfferings", 403,
                        "AccessDeniedException"),
                Arguments.of(CommitmentType.AWS_RDS, "db.r6g.large", "DescribeReservedDBInstancesOfferings", 400,
                        "Throttling"));
    }

    /**
     * An earlier attempt's outcome is unknown and the cloud shows nothing for the item (a lagging
     * describe, or it truly bought nothing); the offering lookup then fails. The item must not be told
     * "nothing was bought": the guard is undecided and the purchase is not sent.
     */
    @ParameterizedTest(name = "{0} {2} {3} {4}")
    @MethodSource("refusedOrThrottledOfferingLookups")
    void after_an_unknown_attempt_a_failed_offering_lookup_is_undecided_not_nothing_bought(
            CommitmentType type, String product, String offeringOperation, int status, String code) {
        // a cold offering cache, so the lookup is really made (a cached offering would hide the refusal)
        List<CommitmentExecutor> executors = new AwsExecutorProvider().create(SharedEmulator.settings()
                .withOfferingCacheTtl(java.time.Duration.ZERO));
        CommitmentExecutor executor = executors.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
        control.inject(FaultSpec.error(Cloud.AWS, type.slug(), offeringOperation, 20, status, code));
        Instant started = Instant.now().minusSeconds(30);
        PurchaseContext redrive = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-refused",
                List.of(new Attempt(started, started.plusSeconds(2), true)));

        assertThatThrownBy(() -> executor.purchase(request(type, product), redrive))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("may have bought");

        assertThat(control.requestCount(Cloud.AWS, type.slug(), dev.pledge.emulator.CallKind.PURCHASE)).isZero();
        executors.forEach(CommitmentExecutor::close);
    }

    private static CommitmentRequest request(CommitmentType type, String product) {
        Map<String, String> attributes = type == CommitmentType.AWS_SAVINGS_PLAN
                ? Map.of("hourlyCommitment", "1.25") : Map.of();
        return new CommitmentRequest(type, "123456789012", "us-east-1", product, 1, Term.ONE_YEAR,
                PaymentOption.NO_UPFRONT, attributes);
    }
}
