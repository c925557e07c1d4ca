package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.AttemptInFlightException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.RequestCount;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, defect 6, executor side: an unfinished attempt younger than
 * {@code ProviderSettings.inFlightBound()} may still be buying, so a new call waits without sending
 * anything; and the caller's {@code PurchaseGate} runs right before every purchase request: when it
 * refuses, nothing is sent.
 */
class InFlightAndGateTest {
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeEach
    void reset() {
        control.reset();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void an_unfinished_young_attempt_makes_the_call_wait_and_nothing_is_sent(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        Instant started = Instant.now().minusSeconds(10);
        PurchaseContext context = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-inflight",
                List.of(Attempt.unfinished(started)));

        assertThatThrownBy(() -> executor.purchase(SampleRequests.of(type), context))
                .isInstanceOfSatisfying(AttemptInFlightException.class, e -> assertThat(e.retryAfter())
                        .isEqualTo(started.plus(SharedEmulator.settings().inFlightBound())));

        assertThat(control.requestCounts()).as("requests of any kind that reached the cloud")
                .extracting(RequestCount::count).allMatch(n -> n == 0);
        assertThat(control.commitments(Cloud.AWS, type.slug())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void an_unfinished_attempt_older_than_the_bound_no_longer_blocks(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        Instant started = Instant.now().minus(SharedEmulator.settings().inFlightBound()).minus(Duration.ofDays(2));
        PurchaseContext context = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-inflight",
                List.of(Attempt.unfinished(started)));

        PurchaseOutcome outcome = executor.purchase(SampleRequests.of(type), context);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.PURCHASE)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void a_gate_that_refuses_stops_the_purchase_request_and_the_guard_is_undecided(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        AtomicInteger checks = new AtomicInteger();
        PurchaseContext context = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-gate", List.of())
                .withGate(() -> {
                    checks.incrementAndGet();
                    throw new GuardUndecidedException("worker-7 no longer holds the purchase lock of exec-gate");
                });

        assertThatThrownBy(() -> executor.purchase(SampleRequests.of(type), context))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("no longer holds the purchase lock");

        assertThat(checks.get()).isEqualTo(1);
        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.PURCHASE)).isZero();
        assertThat(control.commitments(Cloud.AWS, type.slug())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ANY)
    void a_gate_that_fails_with_any_error_is_undecided_and_nothing_is_sent(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        PurchaseContext context = PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-gate", List.of())
                .withGate(() -> {
                    throw new IllegalStateException("connection to the database is closed");
                });

        assertThatThrownBy(() -> executor.purchase(SampleRequests.of(type), context))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("connection to the database is closed");

        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.PURCHASE)).isZero();
    }
}
