package dev.pledge.common.contract;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.CommitmentExecutor;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The contract kit proves it can fail: a careless executor must fail it, a correct one pass it. */
class ContractKitSelfTest {

    static class AgainstCorrectExecutor extends CommitmentExecutorContract {
        private static final InMemoryCloud CLOUD = new InMemoryCloud();
        private static final CommitmentExecutor EXECUTOR = new InMemoryCloud.Idempotent(CLOUD);

        @Override
        protected CommitmentExecutor executor() {
            return EXECUTOR;
        }

        @Override
        protected CommitmentRequest request() {
            return InMemoryCloud.sampleRequest();
        }

        @Override
        protected ContractFixture fixture() {
            return CLOUD;
        }
    }

    static class AgainstCarelessExecutor extends CommitmentExecutorContract {
        private static final InMemoryCloud CLOUD = new InMemoryCloud();
        private static final CommitmentExecutor EXECUTOR = new InMemoryCloud.Careless(CLOUD);

        @Override
        protected CommitmentExecutor executor() {
            return EXECUTOR;
        }

        @Override
        protected CommitmentRequest request() {
            return InMemoryCloud.sampleRequest();
        }

        @Override
        protected ContractFixture fixture() {
            return CLOUD;
        }
    }

    @Test
    void the_kit_passes_an_executor_that_keeps_the_contract() {
        EngineExecutionResults results = run(AgainstCorrectExecutor.class);

        assertThat(results.testEvents().failed().count()).as(failures(results)).isZero();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(6);
    }

    @Test
    void the_kit_fails_an_executor_that_ignores_the_token() {
        EngineExecutionResults results = run(AgainstCarelessExecutor.class);

        assertThat(failedNames(results)).containsExactlyInAnyOrder(
                "same_token_twice_sends_one_purchase_and_the_second_call_is_already_owned",
                "already_exists_on_purchase_is_confirmed_and_recovered_without_buying_more",
                "guard_lookup_failure_refuses_and_sends_no_purchase",
                "response_lost_after_commit_then_redrive_with_the_same_token_leaves_one_commitment");
    }

    private static EngineExecutionResults run(Class<?> contract) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute();
    }

    private static Set<String> failedNames(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(Event::getTestDescriptor)
                .map(d -> d.getLegacyReportingName().replace("()", ""))
                .collect(Collectors.toSet());
    }

    private static String failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getPayload().map(Object::toString).orElse(""))
                .collect(Collectors.joining("\n"));
    }
}
