package dev.pledge.aws;

import dev.pledge.common.contract.CommitmentExecutorContract;
import dev.pledge.common.contract.ContractFixture;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;

import java.util.List;
import java.util.Map;

/** The executor contract for {@code aws-ec2}, against the emulator. */
class Ec2ReservedInstanceContractTest extends CommitmentExecutorContract {
    private static final CommitmentExecutor EXECUTOR = SharedEmulator.executor(CommitmentType.AWS_EC2);
    private static final ContractFixture FIXTURE = new EmulatorContractFixture(EXECUTOR,
            "PurchaseReservedInstancesOffering", List.of("DescribeReservedInstances"), null);

    @Override
    protected CommitmentExecutor executor() {
        return EXECUTOR;
    }

    @Override
    protected CommitmentRequest request() {
        return new CommitmentRequest(CommitmentType.AWS_EC2, "123456789012", "us-east-1", "m5.large", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
