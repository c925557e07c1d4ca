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

/** The executor contract for {@code aws-memorydb}, against the emulator. */
class MemoryDbReservedNodeContractTest extends CommitmentExecutorContract {
    private static final CommitmentExecutor EXECUTOR = SharedEmulator.executor(CommitmentType.AWS_MEMORYDB);
    private static final ContractFixture FIXTURE = new EmulatorContractFixture(EXECUTOR,
            "PurchaseReservedNodesOffering", List.of("DescribeReservedNodes"), "ReservationId");

    @Override
    protected CommitmentExecutor executor() {
        return EXECUTOR;
    }

    @Override
    protected CommitmentRequest request() {
        return new CommitmentRequest(CommitmentType.AWS_MEMORYDB, "123456789012", "us-west-2", "db.r6g.large", 2, Term.ONE_YEAR, PaymentOption.ALL_UPFRONT, Map.of());
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
