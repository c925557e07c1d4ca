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

/** The executor contract for {@code aws-opensearch}, against the emulator. */
class OpenSearchReservedInstanceContractTest extends CommitmentExecutorContract {
    private static final CommitmentExecutor EXECUTOR = SharedEmulator.executor(CommitmentType.AWS_OPENSEARCH);
    private static final ContractFixture FIXTURE = new EmulatorContractFixture(EXECUTOR,
            "PurchaseReservedInstanceOffering", List.of("DescribeReservedInstances"), "ReservationName");

    @Override
    protected CommitmentExecutor executor() {
        return EXECUTOR;
    }

    @Override
    protected CommitmentRequest request() {
        return new CommitmentRequest(CommitmentType.AWS_OPENSEARCH, "123456789012", "us-east-1", "r6g.large.search", 3, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
