package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * EC2 and Redshift purchases take no caller key, so the SDK must never retry them: under an
 * injected 5xx, throttle or connection reset the emulator sees exactly one purchase request per
 * call. Keyed purchases (RDS) keep their bounded retries, which the key makes safe.
 */
class PurchaseAttemptsTest {
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeEach
    void reset() {
        control.reset();
    }

    static Stream<Arguments> lookupGuardFaults() {
        return Stream.of(
                Arguments.of(CommitmentType.AWS_EC2, "m5.large", "PurchaseReservedInstancesOffering",
                        FaultSpec.error(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering", 5, 500, null),
                        FailureKind.OUTCOME_UNKNOWN, 0),
                Arguments.of(CommitmentType.AWS_EC2, "m5.large", "PurchaseReservedInstancesOffering",
                        FaultSpec.error(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering", 5, 503, "Unavailable"),
                        FailureKind.OUTCOME_UNKNOWN, 0),
                Arguments.of(CommitmentType.AWS_EC2, "m5.large", "PurchaseReservedInstancesOffering",
                        FaultSpec.of(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering",
                                FaultKind.RESET_BEFORE_COMMIT, 5), FailureKind.OUTCOME_UNKNOWN, 0),
                Arguments.of(CommitmentType.AWS_EC2, "m5.large", "PurchaseReservedInstancesOffering",
                        FaultSpec.of(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering",
                                FaultKind.RESET_AFTER_COMMIT, 5), FailureKind.OUTCOME_UNKNOWN, 1),
                Arguments.of(CommitmentType.AWS_EC2, "m5.large", "PurchaseReservedInstancesOffering",
                        FaultSpec.of(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering", FaultKind.THROTTLE, 5),
                        FailureKind.TRANSIENT, 0),
                Arguments.of(CommitmentType.AWS_REDSHIFT, "ra3.xlplus", "PurchaseReservedNodeOffering",
                        FaultSpec.error(Cloud.AWS, "aws-redshift", "PurchaseReservedNodeOffering", 5, 500, null),
                        FailureKind.OUTCOME_UNKNOWN, 0),
                Arguments.of(CommitmentType.AWS_REDSHIFT, "ra3.xlplus", "PurchaseReservedNodeOffering",
                        FaultSpec.of(Cloud.AWS, "aws-redshift", "PurchaseReservedNodeOffering",
                                FaultKind.RESET_BEFORE_COMMIT, 5), FailureKind.OUTCOME_UNKNOWN, 0),
                Arguments.of(CommitmentType.AWS_REDSHIFT, "ra3.xlplus", "PurchaseReservedNodeOffering",
                        FaultSpec.of(Cloud.AWS, "aws-redshift", "PurchaseReservedNodeOffering",
                                FaultKind.RESET_AFTER_COMMIT, 5), FailureKind.OUTCOME_UNKNOWN, 1),
                Arguments.of(CommitmentType.AWS_REDSHIFT, "ra3.xlplus", "PurchaseReservedNodeOffering",
                        FaultSpec.of(Cloud.AWS, "aws-redshift", "PurchaseReservedNodeOffering", FaultKind.THROTTLE, 5),
                        FailureKind.TRANSIENT, 0));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("lookupGuardFaults")
    void a_lookup_guard_purchase_under_a_fault_reaches_the_cloud_exactly_once(CommitmentType type, String product,
            String purchaseOperation, FaultSpec fault, FailureKind expected, int bought) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        control.inject(fault);

        assertThatThrownBy(() -> executor.purchase(request(type, product), context()))
                .isInstanceOfSatisfying(PurchaseException.class, e -> assertThat(e.kind()).isEqualTo(expected));

        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).as("purchase requests sent").isEqualTo(1);
        assertThat(control.commitments(Cloud.AWS, type.slug())).hasSize(bought);
    }

    @Test
    void an_ec2_purchase_whose_response_was_lost_is_adopted_by_the_redrive_and_tagged() {
        CommitmentExecutor ec2 = SharedEmulator.executor(CommitmentType.AWS_EC2);
        PurchaseContext first = context();
        Instant attempt = Instant.now();
        control.inject(FaultSpec.of(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering",
                FaultKind.RESET_AFTER_COMMIT, 1));
        assertThatThrownBy(() -> ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"), first))
                .isInstanceOfSatisfying(PurchaseException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN));

        PurchaseOutcome redrive = ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"),
                PurchaseContext.withToken(first.keySource(), first.executionId(), List.of(attempt)));

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(control.commitments(Cloud.AWS, "aws-ec2")).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(redrive.commitmentId());
            assertThat(c.tags()).containsEntry("pledge:item-token", AwsExecutor.itemKey(first))
                    .containsEntry("pledge:execution", "exec-attempts");
        });
        assertThat(control.requestCount(Cloud.AWS, "PurchaseReservedInstancesOffering")).isEqualTo(1);
    }

    @Test
    void an_untagged_ec2_reservation_that_started_before_the_earliest_attempt_is_not_adopted() {
        CommitmentExecutor ec2 = SharedEmulator.executor(CommitmentType.AWS_EC2);
        ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"), PurchaseContext.oneOff(java.time.Clock.systemUTC()));
        PurchaseContext later = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-attempts",
                List.of(Instant.now().plus(java.time.Duration.ofHours(1))));

        PurchaseOutcome outcome = ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"), later);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(control.commitments(Cloud.AWS, "aws-ec2")).hasSize(2);
    }

    @Test
    void a_keyed_rds_purchase_keeps_its_bounded_sdk_retries_and_recovers_after_a_lost_response() {
        CommitmentExecutor rds = SharedEmulator.executor(CommitmentType.AWS_RDS);
        control.inject(FaultSpec.of(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering",
                FaultKind.RESET_AFTER_COMMIT, 1));

        PurchaseOutcome outcome = rds.purchase(request(CommitmentType.AWS_RDS, "db.r6g.large"), context());

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        assertThat(control.requestCount(Cloud.AWS, "PurchaseReservedDBInstancesOffering"))
                .as("the lost attempt and the SDK's retry").isEqualTo(2);
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(1);
    }

    @Test
    void a_keyed_rds_purchase_gives_up_after_the_configured_attempts_with_an_unknown_outcome() {
        CommitmentExecutor rds = SharedEmulator.executor(CommitmentType.AWS_RDS);
        control.inject(FaultSpec.error(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering", 10, 500, null));

        assertThatThrownBy(() -> rds.purchase(request(CommitmentType.AWS_RDS, "db.r6g.large"), context()))
                .isInstanceOfSatisfying(PurchaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
                    assertThat(e.cloudCode()).isEqualTo("InternalFailure");
                });
        assertThat(control.requestCount(Cloud.AWS, "PurchaseReservedDBInstancesOffering"))
                .as("ProviderSettings.emulator(...) allows 3 attempts").isEqualTo(3);
    }

    private static PurchaseContext context() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-attempts", List.of());
    }

    private static CommitmentRequest request(CommitmentType type, String product) {
        return new CommitmentRequest(type, "123456789012", "us-east-1", product, 1, Term.ONE_YEAR,
                PaymentOption.NO_UPFRONT, Map.of());
    }
}
