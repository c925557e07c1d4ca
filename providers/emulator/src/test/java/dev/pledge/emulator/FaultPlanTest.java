package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which calls an armed fault hits, and for how many. */
class FaultPlanTest {
    private static final CloudCall RDS_PURCHASE = new CloudCall(Cloud.AWS, "aws-rds",
            "PurchaseReservedDBInstancesOffering", CallKind.PURCHASE);
    private static final CloudCall RDS_DESCRIBE = new CloudCall(Cloud.AWS, "aws-rds", "DescribeReservedDBInstances",
            CallKind.LOOKUP);
    private static final CloudCall EC2_PURCHASE = new CloudCall(Cloud.AWS, "aws-ec2",
            "PurchaseReservedInstancesOffering", CallKind.PURCHASE);

    @Test
    void a_fault_fires_for_the_next_n_matching_calls_only() {
        FaultPlan plan = new FaultPlan();
        plan.add(FaultSpec.of(Cloud.AWS, "aws-rds", "purchasereserveddbinstancesoffering", FaultKind.THROTTLE, 2));

        assertThat(plan.take(RDS_DESCRIBE)).isEmpty();
        assertThat(plan.take(EC2_PURCHASE)).isEmpty();
        assertThat(plan.take(RDS_PURCHASE)).map(FaultSpec::fault).contains(FaultKind.THROTTLE);
        assertThat(plan.armed()).singleElement().satisfies(f -> assertThat(f.times()).isEqualTo(1));
        assertThat(plan.take(RDS_PURCHASE)).isPresent();
        assertThat(plan.take(RDS_PURCHASE)).isEmpty();
        assertThat(plan.armed()).isEmpty();
    }

    @Test
    void an_omitted_operation_matches_every_operation_of_the_type_and_an_omitted_type_every_type() {
        FaultPlan plan = new FaultPlan();
        plan.add(FaultSpec.of(Cloud.AWS, "aws-rds", null, FaultKind.RESET_BEFORE_COMMIT, 2));
        plan.add(FaultSpec.of(Cloud.AWS, null, null, FaultKind.STALE_READ, 1));

        assertThat(plan.take(RDS_DESCRIBE)).map(FaultSpec::fault).contains(FaultKind.RESET_BEFORE_COMMIT);
        assertThat(plan.take(EC2_PURCHASE)).map(FaultSpec::fault).contains(FaultKind.STALE_READ);
        assertThat(plan.take(RDS_PURCHASE)).map(FaultSpec::fault).contains(FaultKind.RESET_BEFORE_COMMIT);
        assertThat(plan.take(new CloudCall(Cloud.AZURE, "azure-reservation", "PutAlias", CallKind.PURCHASE)))
                .isEmpty();
    }

    @Test
    void a_fault_spec_refuses_what_cannot_fire_and_names_the_field() {
        assertThatThrownBy(() -> FaultSpec.error(Cloud.AWS, null, null, 1, 200, null)).hasMessageStartingWith("status:");
        assertThatThrownBy(() -> FaultSpec.of(Cloud.AWS, null, null, FaultKind.ERROR, 0)).hasMessageStartingWith("times:");
        assertThatThrownBy(() -> FaultSpec.delay(Cloud.AWS, null, null, 1, -5)).hasMessageStartingWith("delayMs:");
        assertThatThrownBy(() -> FaultKind.fromSlug("boom")).hasMessageStartingWith("fault:");
    }
}
