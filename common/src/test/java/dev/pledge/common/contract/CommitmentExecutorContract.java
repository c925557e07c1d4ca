package dev.pledge.common.contract;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.idempotency.ItemToken;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.DedupeStrength;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The executor contract every provider module runs against its own emulator or WireMock
 * fixture: subclass it, supply the executor, a valid request and the fixture. Each test
 * checks both what the executor returned and what reached the cloud.
 */
public abstract class CommitmentExecutorContract {

    /** The executor under test; may be shared between tests. */
    protected abstract CommitmentExecutor executor();

    /** A valid request for the executor's type that the fixture's catalog can sell. */
    protected abstract CommitmentRequest request();

    protected abstract ContractFixture fixture();

    private ListAppender<ILoggingEvent> logs;
    private Level previousRootLevel;

    @BeforeEach
    void resetCloudAndCaptureLogs() {
        fixture().reset();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousRootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapturingLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        root.setLevel(previousRootLevel);
        logs.stop();
    }

    @Test
    void same_token_twice_sends_one_purchase_and_the_second_call_is_already_owned() {
        PurchaseContext ctx = freshContext();

        PurchaseOutcome first = executor().purchase(request(), ctx);
        PurchaseOutcome second = executor().purchase(request(), ctx);

        assertThat(first.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(second.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(second.commitmentId()).isEqualTo(first.commitmentId());
        assertThat(fixture().purchaseRequests()).as("purchase requests that reached the cloud").isEqualTo(1);
        assertThat(fixture().commitments()).as("commitments in the cloud").isEqualTo(1);
    }

    @Test
    void already_exists_on_purchase_is_confirmed_and_recovered_without_buying_more() {
        assumeTrue(executor().dedupeStrength() == DedupeStrength.SERVER_KEY,
                "only executors whose cloud enforces our key can meet AlreadyExists");
        PurchaseContext ctx = freshContext();
        fixture().arrangeAlreadyExists(request(), ctx);

        PurchaseOutcome outcome = executor().purchase(request(), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.RECOVERED);
        assertThat(fixture().purchaseRequests()).as("purchase requests that reached the cloud").isEqualTo(1);
        assertThat(fixture().commitments()).as("commitments in the cloud").isEqualTo(1);
    }

    @Test
    void guard_lookup_failure_refuses_and_sends_no_purchase() {
        fixture().failLookups();

        assertThatThrownBy(() -> executor().purchase(request(), freshContext()))
                .isInstanceOf(GuardUndecidedException.class);

        assertThat(fixture().purchaseRequests()).as("purchase requests that reached the cloud").isZero();
        assertThat(fixture().commitments()).as("commitments in the cloud").isZero();
    }

    @Test
    void without_a_token_two_calls_buy_twice_with_distinct_ids_and_no_guard() {
        PurchaseOutcome first = executor().purchase(request(), PurchaseContext.oneOff(Clock.systemUTC()));
        PurchaseOutcome second = executor().purchase(request(), PurchaseContext.oneOff(Clock.systemUTC()));

        assertThat(first.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(second.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(second.commitmentId()).isNotEqualTo(first.commitmentId());
        assertThat(fixture().lookupRequests()).as("guard lookups in the one-off mode").isZero();
        assertThat(fixture().purchaseRequests()).isEqualTo(2);
        assertThat(fixture().commitments()).isEqualTo(2);
    }

    @Test
    void logs_never_contain_the_token_whole() {
        ExecutionToken token = ExecutionToken.generate();
        ItemToken item = token.item(0);
        PurchaseContext ctx = PurchaseContext.withToken(item, "exec-logs", List.of());

        executor().purchase(request(), ctx);
        executor().purchase(request(), ctx);
        fixture().failLookups();
        List<String> errorMessages = new ArrayList<>();
        try {
            executor().purchase(request(), PurchaseContext.withToken(token.item(1), "exec-logs", List.of()));
        } catch (RuntimeException e) {
            errorMessages.add(String.valueOf(e.getMessage()));
        }

        assertThat(logs.list).as("the executor logged something to check").isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            String text = event.getFormattedMessage() + throwableText(event.getThrowableProxy());
            assertThat(text).doesNotContain(token.value(), item.hex(), token.item(1).hex());
        }
        for (String message : errorMessages) {
            assertThat(message).doesNotContain(token.value(), item.hex(), token.item(1).hex());
        }
    }

    @Test
    void response_lost_after_commit_then_redrive_with_the_same_token_leaves_one_commitment() {
        PurchaseContext first = freshContext();
        Instant attemptStarted = Instant.now();
        fixture().resetAfterCommitOnNextPurchase();

        PurchaseOutcome firstOutcome = null;
        try {
            firstOutcome = executor().purchase(request(), first);
        } catch (PurchaseException e) {
            assertThat(e.kind()).as("a reset after the request was sent is an unknown outcome, not " + e.kind())
                    .isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        }
        PurchaseContext redrive = PurchaseContext.withToken(first.keySource(), first.executionId(),
                List.of(attemptStarted));
        PurchaseOutcome second = executor().purchase(request(), redrive);

        assertThat(second.kind()).isIn(OutcomeKind.ALREADY_OWNED, OutcomeKind.RECOVERED);
        if (firstOutcome != null) {
            assertThat(second.commitmentId()).isEqualTo(firstOutcome.commitmentId());
        }
        assertThat(fixture().commitments()).as("commitments in the cloud after the re-drive").isEqualTo(1);
    }

    /** A context with a new random execution token, item 0. */
    protected PurchaseContext freshContext() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-contract", List.of());
    }

    private static String throwableText(IThrowableProxy proxy) {
        StringBuilder sb = new StringBuilder();
        for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
            sb.append('\n').append(p.getClassName()).append(": ").append(p.getMessage());
        }
        return sb.toString();
    }

    /** For subclasses: fail with a message when a fixture cannot arrange something. */
    protected static void unsupported(String what) {
        fail("the fixture cannot " + what);
    }
}
