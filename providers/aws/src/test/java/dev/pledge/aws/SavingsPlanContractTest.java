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

/** The executor contract for {@code aws-savings-plan}, against the emulator. */
class SavingsPlanContractTest extends CommitmentExecutorContract {
    private static final CommitmentExecutor EXECUTOR = SharedEmulator.executor(CommitmentType.AWS_SAVINGS_PLAN);
    private static final ContractFixture FIXTURE = new EmulatorContractFixture(EXECUTOR,
            "CreateSavingsPlan", List.of("DescribeSavingsPlans"), "clientToken");

    @Override
    protected CommitmentExecutor executor() {
        return EXECUTOR;
    }

    @Override
    protected CommitmentRequest request() {
        return new CommitmentRequest(CommitmentType.AWS_SAVINGS_PLAN, "123456789012", "us-east-1", "Compute", 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("hourlyCommitment", "2.5"));
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
