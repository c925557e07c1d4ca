package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the guards decide when the cloud already holds something close to, but not exactly, this item. */
class GuardDecisionsTest {
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeEach
    void reset() {
        control.reset();
    }

    private Offering offering(String type, String product) {
        return control.offerings().stream().filter(o -> o.type().equals(type) && o.product().equals(product)
                        && o.region().equals("us-east-1") && o.term().equals("1y") && o.payment().equals("no-upfront"))
                .findFirst().orElseThrow();
    }

    private static CommitmentRequest request(CommitmentType type, String product, int quantity) {
        return new CommitmentRequest(type, "123456789012", "us-east-1", product, quantity, Term.ONE_YEAR,
                PaymentOption.NO_UPFRONT, Map.of());
    }

    private static PurchaseContext context() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-guard", List.of());
    }

    private void place(String type, String id, String key, Offering offering, int quantity, String state) {
        control.addCommitment(new Commitment(Cloud.AWS, type, "123456789012", "us-east-1", id, key, offering,
                quantity, Map.of(), Instant.now().minus(Duration.ofHours(2)), state, Map.of()));
    }

    @Test
    void a_different_quantity_under_our_rds_key_is_a_key_conflict_and_nothing_is_bought() {
        PurchaseContext ctx = context();
        String key = AwsExecutor.itemKey(ctx);
        place("aws-rds", key, key, offering("aws-rds", "db.r6g.large"), 5, "active");

        assertThatThrownBy(() -> SharedEmulator.executor(CommitmentType.AWS_RDS)
                .purchase(request(CommitmentType.AWS_RDS, "db.r6g.large", 2), ctx))
                .isInstanceOf(KeyConflictException.class)
                .hasMessageContaining("5 x db.r6g.large").hasMessageContaining("asks for 2 x db.r6g.large");
        assertThat(control.requestCount(Cloud.AWS, "aws-rds", CallKind.PURCHASE)).isZero();
    }

    @Test
    void a_retired_reservation_under_our_key_does_not_count_as_owned_and_is_a_key_conflict() {
        PurchaseContext ctx = context();
        String key = AwsExecutor.itemKey(ctx);
        place("aws-elasticache", key, key, offering("aws-elasticache", "cache.m5.large"), 1, "retired");

        assertThatThrownBy(() -> SharedEmulator.executor(CommitmentType.AWS_ELASTICACHE)
                .purchase(request(CommitmentType.AWS_ELASTICACHE, "cache.m5.large", 1), ctx))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("retired");
        assertThat(control.requestCount(Cloud.AWS, "aws-elasticache", CallKind.PURCHASE)).isZero();
    }

    @Test
    void already_exists_for_another_offering_under_our_memorydb_key_is_a_key_conflict_not_a_recovery() {
        PurchaseContext ctx = context();
        String key = AwsExecutor.itemKey(ctx);
        place("aws-memorydb", key, key, offering("aws-memorydb", "db.r6g.xlarge"), 1, "active");
        control.inject(FaultSpec.of(Cloud.AWS, "aws-memorydb", "DescribeReservedNodes", FaultKind.STALE_READ, 1));

        assertThatThrownBy(() -> SharedEmulator.executor(CommitmentType.AWS_MEMORYDB)
                .purchase(request(CommitmentType.AWS_MEMORYDB, "db.r6g.large", 1), ctx))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("db.r6g.xlarge");
        assertThat(control.requestCount(Cloud.AWS, "aws-memorydb", CallKind.PURCHASE)).isEqualTo(1);
        assertThat(control.commitments(Cloud.AWS, "aws-memorydb")).hasSize(1);
    }

    @Test
    void an_ec2_reservation_tagged_for_another_item_is_never_adopted() {
        CommitmentExecutor ec2 = SharedEmulator.executor(CommitmentType.AWS_EC2);
        Instant attempt = Instant.now();
        PurchaseOutcome other = ec2.purchase(request(CommitmentType.AWS_EC2, "c5.large", 1), context());
        PurchaseContext mine = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-guard",
                List.of(attempt));

        PurchaseOutcome outcome = ec2.purchase(request(CommitmentType.AWS_EC2, "c5.large", 1), mine);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.commitmentId()).isNotEqualTo(other.commitmentId());
        assertThat(control.commitments(Cloud.AWS, "aws-ec2")).hasSize(2);
    }

    @Test
    void a_redshift_node_with_another_count_is_not_adopted_but_one_matching_the_earlier_attempt_is() {
        CommitmentExecutor redshift = SharedEmulator.executor(CommitmentType.AWS_REDSHIFT);
        Instant attempt = Instant.now().minusSeconds(30);
        Offering offering = offering("aws-redshift", "ra3.4xlarge");
        control.addCommitment(new Commitment(Cloud.AWS, "aws-redshift", "123456789012", "us-east-1", "node-three",
                null, offering, 3, Map.of(), Instant.now(), "active", Map.of()));
        control.addCommitment(new Commitment(Cloud.AWS, "aws-redshift", "123456789012", "us-east-1", "node-two",
                null, offering, 2, Map.of(), Instant.now(), "active", Map.of()));
        PurchaseContext redrive = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-guard",
                List.of(attempt));

        PurchaseOutcome outcome = redshift.purchase(request(CommitmentType.AWS_REDSHIFT, "ra3.4xlarge", 2), redrive);

        assertThat(outcome).isEqualTo(PurchaseOutcome.alreadyOwned("node-two", AwsExecutor.itemKey(redrive)));
        assertThat(control.requestCount(Cloud.AWS, "aws-redshift", CallKind.PURCHASE)).isZero();
        assertThat(control.commitments(Cloud.AWS, "aws-redshift")).filteredOn(c -> c.id().equals("node-two"))
                .singleElement().satisfies(c -> assertThat(c.tags())
                        .containsEntry("pledge:item-token", AwsExecutor.itemKey(redrive)));
    }

    @Test
    void a_redrive_that_cannot_look_up_the_offering_to_check_for_adoption_refuses_to_buy() {
        CommitmentExecutor ec2 = SharedEmulator.executor(CommitmentType.AWS_EC2);
        control.inject(FaultSpec.error(Cloud.AWS, "aws-ec2", "DescribeReservedInstancesOfferings", 10, 500, null));
        PurchaseContext redrive = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-guard",
                List.of(Instant.now().minusSeconds(60)));

        assertThatThrownBy(() -> ec2.purchase(request(CommitmentType.AWS_EC2, "m5.xlarge", 1), redrive))
                .isInstanceOf(dev.pledge.common.spi.GuardUndecidedException.class)
                .hasMessageContaining("may have bought").hasMessageContaining("looking up the offering");
        assertThat(control.requestCount(Cloud.AWS, "aws-ec2", CallKind.PURCHASE)).isZero();
    }

    @Test
    void four_racing_calls_for_one_keyed_item_leave_one_commitment_and_agree_on_its_id() throws Exception {
        CommitmentExecutor rds = SharedEmulator.executor(CommitmentType.AWS_RDS);
        PurchaseContext ctx = context();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<PurchaseOutcome>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> rds.purchase(request(CommitmentType.AWS_RDS, "db.t3.medium", 1), ctx)));
            }
            List<PurchaseOutcome> outcomes = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<PurchaseOutcome> call : calls) {
                outcomes.add(call.get());
            }

            assertThat(outcomes).extracting(PurchaseOutcome::commitmentId).containsOnly(AwsExecutor.itemKey(ctx));
            assertThat(outcomes).filteredOn(o -> o.kind() == OutcomeKind.BOUGHT).hasSizeLessThanOrEqualTo(1);
            assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
