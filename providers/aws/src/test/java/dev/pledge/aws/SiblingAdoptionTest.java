package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseGate;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, defect 2: a lookup-guard re-drive adopts only an untagged commitment that started inside
 * the window of one of the item's own attempts that may have bought, that no other item records, and
 * only when exactly one matches. Sequences of ordinary events against the emulator.
 */
class SiblingAdoptionTest {
    private static final String ACCOUNT = "123456789012";
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeEach
    void reset() {
        control.reset();
    }

    static Stream<Arguments> lookupGuardTypes() {
        return Stream.of(
                Arguments.of(CommitmentType.AWS_EC2, "m5.large", "PurchaseReservedInstancesOffering"),
                Arguments.of(CommitmentType.AWS_REDSHIFT, "ra3.xlplus", "PurchaseReservedNodeOffering"));
    }

    /**
     * X's purchase gets a 500 (nothing bought, outcome unknown); sibling Y (same offering and count,
     * another token) buys, but its CreateTags fails every time (tolerated: Y is BOUGHT, untagged); the
     * re-drive of X, told that Y's id is another item's, must not take Y's reservation.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lookupGuardTypes")
    void a_redrive_never_adopts_the_untagged_reservation_its_sibling_bought(CommitmentType type, String product,
                                                                            String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        ExecutionToken execution = ExecutionToken.generate();
        PurchaseContext x = PurchaseContext.withToken(execution.item(0), "exec-siblings", List.of());
        PurchaseContext y = PurchaseContext.withToken(execution.item(1), "exec-siblings", List.of());

        Instant xStarted = Instant.now();
        control.inject(FaultSpec.error(Cloud.AWS, type.slug(), purchaseOperation, 1, 500, null));
        assertThatThrownBy(() -> executor.purchase(request(type, product), x))
                .isInstanceOfSatisfying(PurchaseException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN));
        Instant xFinished = Instant.now();

        // every CreateTags call fails: 3 tag attempts x 3 SDK attempts each
        control.inject(FaultSpec.error(Cloud.AWS, type.slug(), "CreateTags", 9, 500, null));
        PurchaseOutcome yOutcome = executor.purchase(request(type, product), y);
        assertThat(yOutcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(control.commitments(Cloud.AWS, type.slug())).singleElement()
                .satisfies(c -> assertThat(c.tags()).doesNotContainKey(AwsExecutor.TAG_ITEM));

        PurchaseContext xRedrive = new PurchaseContext(x.keySource(), true, x.executionId(),
                List.of(new Attempt(xStarted, xFinished, true)), Set.of(yOutcome.commitmentId()), PurchaseGate.OPEN);
        PurchaseOutcome xOutcome;
        try {
            xOutcome = executor.purchase(request(type, product), xRedrive);
        } catch (GuardUndecidedException undecided) {
            xOutcome = null; // acceptable: it did not take Y's
        }

        if (xOutcome != null) {
            assertThat(xOutcome.commitmentId()).as("X must not hold Y's reservation")
                    .isNotEqualTo(yOutcome.commitmentId());
            assertThat(xOutcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
            assertThat(control.commitments(Cloud.AWS, type.slug())).hasSize(2);
        }
        assertThat(control.commitments(Cloud.AWS, type.slug()))
                .filteredOn(c -> c.id().equals(yOutcome.commitmentId())).singleElement()
                .satisfies(c -> assertThat(c.tags()).as("Y's reservation is not re-tagged as X's")
                        .doesNotContainEntry(AwsExecutor.TAG_ITEM, AwsExecutor.itemKey(x)));
    }

    /** A matching untagged reservation that a person bought an hour after X's failed attempt is not X's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lookupGuardTypes")
    void an_untagged_reservation_bought_after_the_attempt_window_is_not_adopted(CommitmentType type, String product,
                                                                               String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        Instant attemptStart = Instant.now().minus(Duration.ofHours(2));
        place(type, "bought-by-a-person", product, Instant.now().minus(Duration.ofHours(1)));
        PurchaseContext redrive = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-window",
                List.of(new Attempt(attemptStart, attemptStart.plusSeconds(2), true)));

        PurchaseOutcome outcome = executor.purchase(request(type, product), redrive);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.commitmentId()).isNotEqualTo("bought-by-a-person");
        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).isEqualTo(1);
        assertThat(control.commitments(Cloud.AWS, type.slug())).hasSize(2);
    }

    /** Attempts that provably bought nothing give no reason to adopt anything. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lookupGuardTypes")
    void with_no_attempt_that_may_have_bought_nothing_is_adopted(CommitmentType type, String product,
                                                                 String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        Instant attemptStart = Instant.now().minusSeconds(20);
        place(type, "someone-elses", product, Instant.now().minusSeconds(10));
        PurchaseContext redrive = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-window",
                List.of(new Attempt(attemptStart, attemptStart.plusSeconds(1), false)));

        PurchaseOutcome outcome = executor.purchase(request(type, product), redrive);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.commitmentId()).isNotEqualTo("someone-elses");
        assertThat(control.commitments(Cloud.AWS, type.slug())).hasSize(2);
    }

    /** Two matching untagged reservations in the window: the guard cannot tell which is the item's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lookupGuardTypes")
    void two_candidates_in_the_window_leave_the_guard_undecided_and_nothing_is_bought(CommitmentType type,
                                                                                     String product,
                                                                                     String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        Instant attemptStart = Instant.now().minusSeconds(20);
        place(type, "candidate-one", product, attemptStart.plusSeconds(1));
        place(type, "candidate-two", product, attemptStart.plusSeconds(2));
        PurchaseContext redrive = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-window",
                List.of(new Attempt(attemptStart, attemptStart.plusSeconds(3), true)));

        assertThatThrownBy(() -> executor.purchase(request(type, product), redrive))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("candidate-one").hasMessageContaining("candidate-two");

        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).isZero();
        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.TAG)).isZero();
        assertThat(control.commitments(Cloud.AWS, type.slug())).allSatisfy(c -> assertThat(c.tags()).isEmpty());
    }

    @Test
    void the_one_candidate_inside_the_window_of_an_unknown_attempt_is_adopted_and_tagged() {
        CommitmentExecutor ec2 = SharedEmulator.executor(CommitmentType.AWS_EC2);
        Instant attemptStart = Instant.now().minusSeconds(20);
        place(CommitmentType.AWS_EC2, "the-lost-one", "m5.large", attemptStart.plusSeconds(1));
        place(CommitmentType.AWS_EC2, "older-one", "m5.large", attemptStart.minus(Duration.ofHours(3)));
        PurchaseContext redrive = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-window",
                List.of(new Attempt(attemptStart, attemptStart.plusSeconds(2), true)));

        PurchaseOutcome outcome = ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"), redrive);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(outcome.commitmentId()).isEqualTo("the-lost-one");
        assertThat(control.requestCount(Cloud.AWS, "PurchaseReservedInstancesOffering")).isZero();
    }

    /**
     * Three identical items of one execution (same type, account, region, offering, count) each buy, and
     * each purchase's answer is lost (so none is tagged). On the re-drive each item, told how many of its
     * siblings are still undecided, adopts the earliest untagged candidate and tags it as its own; the
     * next sibling sees it tagged and taken. Each item ends with a distinct reservation, nothing is bought
     * again, and each reservation carries its item's tag.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lookupGuardTypes")
    void identical_siblings_whose_answers_were_all_lost_each_adopt_a_distinct_reservation_on_redrive(
            CommitmentType type, String product, String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        ExecutionToken execution = ExecutionToken.generate();
        int siblings = 3;
        List<PurchaseContext> redrives = new java.util.ArrayList<>();
        for (int i = 0; i < siblings; i++) {
            PurchaseContext first = PurchaseContext.withToken(execution.item(i), "exec-fungible", List.of());
            control.inject(FaultSpec.of(Cloud.AWS, type.slug(), purchaseOperation, FaultKind.RESET_AFTER_COMMIT, 1));
            Instant started = Instant.now();
            assertThatThrownBy(() -> executor.purchase(request(type, product), first))
                    .isInstanceOfSatisfying(PurchaseException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN));
            redrives.add(PurchaseContext.withAttempts(first.itemToken().orElseThrow(), "exec-fungible",
                    List.of(new Attempt(started, Instant.now(), true))));
        }
        assertThat(control.commitments(Cloud.AWS, type.slug())).hasSize(siblings)
                .allSatisfy(c -> assertThat(c.tags()).doesNotContainKey(AwsExecutor.TAG_ITEM));

        Set<String> taken = new java.util.HashSet<>();
        for (int i = 0; i < siblings; i++) {
            // as the engine says: the siblings after this one are undecided, those before it hold theirs
            PurchaseContext redrive = redrives.get(i).withTakenCommitments(taken)
                    .withUndecidedSiblings(siblings - 1 - i);
            PurchaseOutcome outcome = executor.purchase(request(type, product), redrive);
            assertThat(outcome.kind()).as("item %d", i).isEqualTo(OutcomeKind.ALREADY_OWNED);
            assertThat(taken).as("item %d adopts a reservation no sibling holds", i)
                    .doesNotContain(outcome.commitmentId());
            assertThat(control.commitments(Cloud.AWS, type.slug()))
                    .filteredOn(c -> c.id().equals(outcome.commitmentId())).singleElement()
                    .satisfies(c -> assertThat(c.tags()).as("tagged as item %d's", redrive)
                            .containsEntry(AwsExecutor.TAG_ITEM, AwsExecutor.itemKey(redrive)));
            taken.add(outcome.commitmentId());
        }

        assertThat(taken).hasSize(siblings);
        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).as("only the first, unanswered purchases")
                .isEqualTo(siblings);
        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.TAG)).as("one tag call per adoption")
                .isEqualTo(siblings);
        assertThat(control.commitments(Cloud.AWS, type.slug())).hasSize(siblings);
    }

    /**
     * More untagged candidates in the window than this item and its undecided siblings can account for:
     * something outside the execution bought too, so no candidate is taken and nothing is bought.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lookupGuardTypes")
    void more_candidates_than_the_item_and_its_undecided_siblings_stay_undecided(CommitmentType type, String product,
                                                                                 String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        Instant attemptStart = Instant.now().minusSeconds(20);
        place(type, "candidate-one", product, attemptStart.plusSeconds(1));
        place(type, "candidate-two", product, attemptStart.plusSeconds(2));
        place(type, "candidate-three", product, attemptStart.plusSeconds(3));
        PurchaseContext redrive = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-window",
                List.of(new Attempt(attemptStart, attemptStart.plusSeconds(4), true))).withUndecidedSiblings(1);

        assertThatThrownBy(() -> executor.purchase(request(type, product), redrive))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("3 untagged").hasMessageContaining("1 undecided sibling");

        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).isZero();
        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.TAG)).isZero();
        assertThat(control.commitments(Cloud.AWS, type.slug())).allSatisfy(c -> assertThat(c.tags()).isEmpty());
    }

    /** With as many candidates as the item and its one undecided sibling, the earlier-started one is adopted. */
    @Test
    void two_candidates_and_one_undecided_sibling_adopt_the_earlier_started_candidate() {
        CommitmentExecutor ec2 = SharedEmulator.executor(CommitmentType.AWS_EC2);
        Instant attemptStart = Instant.now().minusSeconds(20);
        place(CommitmentType.AWS_EC2, "b-later", "m5.large", attemptStart.plusSeconds(2));
        place(CommitmentType.AWS_EC2, "z-earlier", "m5.large", attemptStart.plusSeconds(1));
        PurchaseContext redrive = PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "exec-window",
                List.of(new Attempt(attemptStart, attemptStart.plusSeconds(3), true))).withUndecidedSiblings(1);

        PurchaseOutcome outcome = ec2.purchase(request(CommitmentType.AWS_EC2, "m5.large"), redrive);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(outcome.commitmentId()).isEqualTo("z-earlier");
        assertThat(control.requestCount(Cloud.AWS, "PurchaseReservedInstancesOffering")).isZero();
        assertThat(control.commitments(Cloud.AWS, "aws-ec2")).filteredOn(c -> c.id().equals("b-later"))
                .singleElement().satisfies(c -> assertThat(c.tags()).isEmpty());
    }

    private void place(CommitmentType type, String id, String product, Instant start) {
        Offering offering = control.offerings().stream().filter(o -> o.type().equals(type.slug())
                        && o.product().equals(product) && o.region().equals("us-east-1") && o.term().equals("1y")
                        && o.payment().equals("no-upfront"))
                .findFirst().orElseThrow();
        control.addCommitment(new Commitment(Cloud.AWS, type.slug(), ACCOUNT, "us-east-1", id, null, offering, 1,
                Map.of(), start, "active", Map.of()));
    }

    private static CommitmentRequest request(CommitmentType type, String product) {
        return new CommitmentRequest(type, ACCOUNT, "us-east-1", product, 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT,
                Map.of());
    }
}
