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

/** The executor contract for {@code aws-elasticache}, against the emulator. */
class ElastiCacheReservedNodeContractTest extends CommitmentExecutorContract {
    private static final CommitmentExecutor EXECUTOR = SharedEmulator.executor(CommitmentType.AWS_ELASTICACHE);
    private static final ContractFixture FIXTURE = new EmulatorContractFixture(EXECUTOR,
            "PurchaseReservedCacheNodesOffering", List.of("DescribeReservedCacheNodes"), "ReservedCacheNodeId");

    @Override
    protected CommitmentExecutor executor() {
        return EXECUTOR;
    }

    @Override
    protected CommitmentRequest request() {
        return new CommitmentRequest(CommitmentType.AWS_ELASTICACHE, "123456789012", "eu-west-1", "cache.r6g.large", 3, Term.THREE_YEARS, PaymentOption.PARTIAL_UPFRONT, Map.of());
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
