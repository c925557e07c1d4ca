package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountUpdate;
import dev.pledge.app.audit.AuditEvent;
import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.PurchaseContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.dao.DuplicateKeyException;

import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.CredentialSource;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, engine side: sequences of two or three ordinary events (a lost answer, a re-drive, a
 * refused request, a lost database session, a disabled account, a slow purchase) through the real
 * engine on real PostgreSQL, with the in-memory keyed cloud behind the executor.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MoneySafetySequencesTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private InMemoryRdsCloud cloud;
    private EngineFixture f;
    /** The project's emulator behind the real AWS executors (EC2: a lookup guard, no caller key). */
    private Emulator emulator;
    private ExecutorRegistry awsExecutors;
    private EngineFixture aws;

    @BeforeAll
    void start(TestSchema db) {
        cloud = new InMemoryRdsCloud();
        f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)),
                EngineFixture.properties(Duration.ofSeconds(2), Duration.ofMillis(200), 3, Duration.ofDays(7)));
        emulator = Emulator.builder().build().start();
        // one SDK attempt per call: one injected fault is one failed call
        awsExecutors = ExecutorRegistry.load(new ProviderSettings(emulator.baseUrl(), Duration.ofSeconds(10), 1,
                Duration.ofMillis(50), Duration.ofSeconds(20), Duration.ofMinutes(5), CredentialSource.DEFAULT_CHAIN,
                Clock.systemUTC()));
        aws = new EngineFixture(db, awsExecutors, EngineFixture.steady());
    }

    @BeforeEach
    void noLeftoverWork() {
        // each test starts with nothing claimable from an earlier one
        f.sql.update("UPDATE executions SET status = 'CANCELED', canceled_by = 'test', canceled_at = now() "
                + "WHERE status = 'APPROVED'");
    }

    @AfterEach
    void clearFaults() {
        cloud.release();
        cloud.releaseGuard();
        cloud.inFlightBound(null);
        cloud.loseResponses(0);
        cloud.loseUncommitted(0);
        cloud.failLookups(0);
        cloud.reject(0);
        cloud.confirmingPurchases(0);
    }

    @AfterAll
    void stopThreads() {
        threads.shutdownNow();
        awsExecutors.close();
        emulator.close();
    }

    private ExecutionRun.End runNext(UUID expected, String worker) throws InterruptedException {
        ClaimedExecution c = f.store.claim(worker, Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.id()).isEqualTo(expected);
        return f.run(c).run();
    }

    private ExecutionItem item(UUID id, int position) {
        return f.executions.get(id).orElseThrow().items().get(position);
    }

    private List<PurchaseContext> contextsSince(int before) {
        List<PurchaseContext> all = cloud.contexts();
        return all.subList(before, all.size());
    }

    // ---- defect 2: attempts and the commitments other items hold reach the guard; one item per commitment ----

    @Test
    void a_redriven_item_gets_its_attempts_with_their_ends_and_the_commitments_other_items_of_its_account_hold()
            throws Exception {
        Account account = f.awsAccount();
        UUID x = f.approvedExecution(account, 1);
        runNext(x, "w");
        String xCommitment = item(x, 0).commitmentId();

        UUID y = f.approvedExecution(account, 1);
        cloud.loseUncommitted(1);
        runNext(y, "w");
        assertThat(item(y, 0).failureKind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        assertThat(f.executions.redrive(y, "approver").moved()).isTrue();

        int before = cloud.contexts().size();
        runNext(y, "w");
        PurchaseContext second = contextsSince(before).get(0);
        assertThat(second.earlierAttempts()).as("the first attempt, finished with an unknown outcome").hasSize(1);
        Attempt first = second.earlierAttempts().get(0);
        assertThat(first.finishedAt()).as("its end is passed on").isNotNull();
        assertThat(first.mayHaveBought()).isTrue();
        assertThat(second.takenCommitments()).as("the commitment item 0 of execution x records")
                .containsExactly(xCommitment);
        assertThat(f.status(y)).isEqualTo("SUCCEEDED");
    }

    @Test
    void an_item_whose_guard_returns_a_commitment_another_item_records_is_failed_for_a_person_to_check()
            throws Exception {
        Account account = f.awsAccount();
        UUID x = f.approvedExecution(account, 1);
        runNext(x, "w");
        String xCommitment = item(x, 0).commitmentId();

        UUID y = f.approvedExecution(account, 1);
        cloud.adoptNext(xCommitment);
        assertThat(runNext(y, "w")).isEqualTo(ExecutionRun.End.FINISHED);

        ExecutionItem yItem = item(y, 0);
        assertThat(yItem.status()).isEqualTo(ItemStatus.FAILED);
        assertThat(yItem.commitmentId()).isNull();
        assertThat(yItem.failureKind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        assertThat(yItem.error()).contains(xCommitment).contains("item 0 of execution " + x)
                .contains("a person must check");
        assertThat(f.status(y)).isEqualTo("FAILED");
        assertThat(item(x, 0).commitmentId()).as("x keeps its own").isEqualTo(xCommitment);
        assertThat(f.executions.auditTrail(y)).extracting(AuditEvent::action).contains("ITEM_COMMITMENT_CONFLICT");
        assertThat(f.sql.queryForObject("SELECT result FROM item_attempts WHERE execution_id = ?", String.class, y))
                .isEqualTo("OUTCOME_UNKNOWN");
        // the schema itself refuses a second item with the same commitment of the same cloud
        assertThatThrownBy(() -> f.sql.update("UPDATE items SET status = 'BOUGHT', outcome = 'ALREADY_OWNED', "
                + "commitment_id = ? WHERE execution_id = ?", xCommitment, y))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void an_outcome_racing_another_items_uncommitted_record_of_the_same_commitment_is_recorded_as_the_conflict()
            throws Exception {
        Account account = f.awsAccount();
        UUID x = f.approvedExecution(account, 1);
        UUID y = f.approvedExecution(account, 1);
        f.sql.update("UPDATE executions SET status = 'FAILED' WHERE id = ?", x);
        String raced = "ri-raced-" + UUID.randomUUID();
        cloud.adoptNext(raced);
        try (java.sql.Connection other = f.db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (java.sql.PreparedStatement s = other.prepareStatement("UPDATE items SET status = 'BOUGHT', "
                    + "outcome = 'BOUGHT', commitment_id = ? WHERE execution_id = ?")) {
                s.setString(1, raced);
                s.setObject(2, x);
                s.executeUpdate();
            }
            // y's outcome now waits on the unique index for x's transaction
            Future<ExecutionRun.End> run = threads.submit(() -> runNext(y, "w"));
            await().atMost(Duration.ofSeconds(20)).until(() -> f.sql.queryForObject("SELECT count(*) FROM "
                    + "pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%conflict AS%'", Integer.class) > 0);
            other.commit();
            assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(ExecutionRun.End.FINISHED);
        }
        ExecutionItem yItem = item(y, 0);
        assertThat(yItem.status()).isEqualTo(ItemStatus.FAILED);
        assertThat(yItem.failureKind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        assertThat(yItem.error()).contains(raced).contains("item 0 of execution " + x);
        assertThat(f.status(y)).isEqualTo("FAILED");
        assertThat(f.counter(EngineMetrics.COMMITMENT_CONFLICTS)).isPositive();
        String lockKey = f.store.items(y).get(0).purchaseLockKey();
        assertThat(f.sql.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
                + "AND objid = (hashtextextended(?, 0) & 4294967295)::oid", Integer.class, lockKey))
                .as("the purchase lock was released by the statement that ran again").isZero();
    }

    // ---- identical siblings of one execution, all unanswered (lookup guard: EC2) ----

    private static final String EC2 = "aws-ec2";
    private static final String EC2_PURCHASE = "PurchaseReservedInstancesOffering";
    private static final AtomicLong EC2_ACCOUNTS = new AtomicLong(510_000_000_000L);

    private Account ec2Account() {
        String external = String.valueOf(EC2_ACCOUNTS.incrementAndGet());
        return aws.accounts.create(new NewAccount(Cloud.AWS, external, "sibling test " + external, Map.of()));
    }

    /** {@code n} items of one execution asking for exactly the same EC2 reservation, approved. */
    private UUID identicalEc2Siblings(Account account, int n) {
        NewItem item = new NewItem(account.id(), EC2, "us-east-1", "m5.large", 1, "1y", "no-upfront", Map.of());
        UUID id = aws.executions.create(NewExecution.of("requester", "identical siblings",
                java.util.Collections.nCopies(n, item))).detail().execution().id();
        assertThat(aws.executions.approve(id, "approver").moved()).isTrue();
        return id;
    }

    private ExecutionRun.End runAws(UUID expected) throws InterruptedException {
        ClaimedExecution c = aws.store.claim("w", Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.id()).isEqualTo(expected);
        return aws.run(c).run();
    }

    private List<Commitment> ec2Held(Account account) {
        return emulator.state().commitments(Cloud.AWS, EC2, account.externalId(), "us-east-1");
    }

    private ExecutionItem awsItem(UUID id, int position) {
        return aws.executions.get(id).orElseThrow().items().get(position);
    }

    /** Every item BOUGHT, each with its own commitment, each commitment held and tagged with its item's key. */
    private void assertEachItemHoldsItsOwn(UUID id, Account account, int n) {
        List<ExecutionItem> items = aws.executions.get(id).orElseThrow().items();
        assertThat(items).hasSize(n).allSatisfy(i -> assertThat(i.status()).as("item %d: %s", i.position(), i.error())
                .isEqualTo(ItemStatus.BOUGHT));
        assertThat(items).extracting(ExecutionItem::commitmentId).doesNotHaveDuplicates();
        List<Commitment> held = ec2Held(account);
        assertThat(held).as("the cloud holds exactly one reservation per item").hasSize(n);
        assertThat(held).extracting(Commitment::id)
                .containsExactlyInAnyOrderElementsOf(items.stream().map(ExecutionItem::commitmentId).toList());
        assertThat(held).extracting(c -> c.tags().get("pledge:item-token")).as("each tagged, each with another item's key")
                .doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void three_identical_ec2_siblings_whose_answers_were_all_lost_each_record_a_distinct_reservation_on_redrive()
            throws Exception {
        Account account = ec2Account();
        UUID id = identicalEc2Siblings(account, 3);
        emulator.inject(FaultSpec.of(Cloud.AWS, EC2, EC2_PURCHASE, FaultKind.RESET_AFTER_COMMIT, 3));
        runAws(id);
        assertThat(aws.executions.get(id).orElseThrow().items()).extracting(ExecutionItem::failureKind)
                .containsOnly(FailureKind.OUTCOME_UNKNOWN);
        assertThat(ec2Held(account)).as("all three landed, none tagged").hasSize(3)
                .allSatisfy(c -> assertThat(c.tags()).doesNotContainKey("pledge:item-token"));
        int purchases = emulator.client().requestCount(Cloud.AWS, EC2_PURCHASE);

        assertThat(aws.executions.redrive(id, "approver").moved()).isTrue();
        assertThat(runAws(id)).isEqualTo(ExecutionRun.End.FINISHED);

        assertEachItemHoldsItsOwn(id, account, 3);
        assertThat(aws.executions.get(id).orElseThrow().items()).extracting(ExecutionItem::outcome)
                .containsOnly(OutcomeKind.ALREADY_OWNED);
        assertThat(emulator.client().requestCount(Cloud.AWS, EC2_PURCHASE)).as("nothing bought again")
                .isEqualTo(purchases);
        assertThat(aws.status(id)).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_sibling_whose_adoption_could_not_be_tagged_takes_the_last_reservation_on_the_next_redrive()
            throws Exception {
        Account account = ec2Account();
        UUID id = identicalEc2Siblings(account, 2);
        int purchasesBefore = emulator.client().requestCount(Cloud.AWS, EC2_PURCHASE);
        emulator.inject(FaultSpec.of(Cloud.AWS, EC2, EC2_PURCHASE, FaultKind.RESET_AFTER_COMMIT, 2));
        runAws(id);
        assertThat(ec2Held(account)).hasSize(2);

        // re-drive: item 0's adoption cannot be tagged (3 tries), item 1 adopts one of the two
        aws.executions.redrive(id, "approver");
        emulator.inject(FaultSpec.error(Cloud.AWS, EC2, "CreateTags", 3, 500, "InternalError"));
        runAws(id);
        assertThat(awsItem(id, 0).failureKind()).isEqualTo(FailureKind.GUARD_UNDECIDED);
        assertThat(awsItem(id, 1).status()).isEqualTo(ItemStatus.BOUGHT);
        assertThat(aws.status(id)).isEqualTo("PARTIALLY_SUCCEEDED");

        // re-drive again: item 1 holds its own; item 0 takes the one left
        aws.executions.redrive(id, "approver");
        runAws(id);
        assertEachItemHoldsItsOwn(id, account, 2);
        assertThat(emulator.client().requestCount(Cloud.AWS, EC2_PURCHASE) - purchasesBefore)
                .as("the two first purchases only").isEqualTo(2);
        assertThat(aws.status(id)).isEqualTo("SUCCEEDED");
    }

    @Test
    void identical_items_of_two_executions_are_not_siblings_and_their_candidates_stay_undecided() throws Exception {
        Account account = ec2Account();
        UUID x = identicalEc2Siblings(account, 1);
        UUID y = identicalEc2Siblings(account, 1);
        int purchasesBefore = emulator.client().requestCount(Cloud.AWS, EC2_PURCHASE);
        emulator.inject(FaultSpec.of(Cloud.AWS, EC2, EC2_PURCHASE, FaultKind.RESET_AFTER_COMMIT, 2));
        runAws(x);
        runAws(y);
        assertThat(ec2Held(account)).hasSize(2);

        aws.executions.redrive(x, "approver");
        runAws(x);

        assertThat(awsItem(x, 0).failureKind()).as("two candidates, no sibling in its own execution")
                .isEqualTo(FailureKind.GUARD_UNDECIDED);
        assertThat(awsItem(x, 0).error()).contains("0 undecided siblings");
        assertThat(ec2Held(account)).hasSize(2).allSatisfy(c -> assertThat(c.tags()).doesNotContainKey("pledge:item-token"));
        assertThat(emulator.client().requestCount(Cloud.AWS, EC2_PURCHASE) - purchasesBefore).isEqualTo(2);
    }

    // ---- defect 3: after an attempt that may have bought, no failure says "nothing was bought" ----

    @Test
    void after_an_unanswered_purchase_a_lookup_failure_and_then_a_refusal_are_undecided_never_nothing_bought()
            throws Exception {
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        cloud.loseUncommitted(1);
        runNext(id, "w");
        assertThat(item(id, 0).failureKind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);

        f.executions.redrive(id, "approver");
        cloud.failLookups(1);
        runNext(id, "w");
        assertThat(item(id, 0).failureKind()).isEqualTo(FailureKind.GUARD_UNDECIDED);
        assertThat(item(id, 0).error()).doesNotContain("nothing was bought");

        f.executions.redrive(id, "approver");
        cloud.reject(1);
        runNext(id, "w");
        ExecutionItem after = item(id, 0);
        assertThat(after.failureKind()).isEqualTo(FailureKind.GUARD_UNDECIDED);
        assertThat(after.error()).contains("an earlier attempt may have bought").doesNotContain("nothing was bought");
        assertThat(f.sql.queryForObject("SELECT last_error FROM executions WHERE id = ?", String.class, id))
                .doesNotContain("nothing was bought");
    }

    // ---- defect 5: cancel after work started ----

    @Test
    void an_execution_returned_by_the_lease_sweep_after_an_attempt_cannot_be_canceled() throws Exception {
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        ClaimedExecution dead = f.store.claim("dead", f.properties.lease()).orElseThrow();
        assertThat(f.store.recordAttempt(dead, 0).write()).isEqualTo(OwnedWrite.APPLIED);
        await().atMost(Duration.ofSeconds(20)).until(() -> f.sql.queryForObject(
                "SELECT lease_until < now() FROM executions WHERE id = ?", Boolean.class, id));
        assertThat(f.leaseSweep(Clock.systemUTC()).batch(100)).isEqualTo(1);
        assertThat(f.status(id)).isEqualTo("APPROVED");

        TransitionResult result = f.executions.cancel(id, "requester-key");

        assertThat(result).isInstanceOf(TransitionResult.OtherStatus.class);
        assertThat(((TransitionResult.OtherStatus) result).reason()).contains("item 0 has an attempt");
        assertThat(f.status(id)).isEqualTo("APPROVED");
    }

    @Test
    void cancel_racing_claims_and_write_ahead_records_never_cancels_an_execution_with_an_attempt() throws Exception {
        Account account = f.awsAccount();
        for (int i = 0; i < 20; i++) {
            UUID id = f.approvedExecution(account, 1);
            Future<?> worker = threads.submit(() -> {
                f.store.claim("racer", Duration.ofSeconds(30)).ifPresent(c -> f.store.recordAttempt(c, 0));
            });
            Future<TransitionResult> cancel = threads.submit(() -> f.executions.cancel(id, "requester-key"));
            worker.get(20, TimeUnit.SECONDS);
            TransitionResult r = cancel.get(20, TimeUnit.SECONDS);
            int attempts = f.sql.queryForObject("SELECT attempts FROM items WHERE execution_id = ?", Integer.class, id);
            if (r.moved()) {
                assertThat(attempts).as("a canceled execution has no attempt").isZero();
            }
            f.sql.update("UPDATE executions SET status = 'FAILED', claimed_by = NULL, lease_until = NULL "
                    + "WHERE id = ? AND status = 'RUNNING'", id);
        }
    }

    // ---- defect 6: the purchase lock lost during a slow guard ----

    @Test
    void a_worker_whose_session_died_during_its_guard_sends_nothing_and_the_next_worker_waits_for_its_attempt()
            throws Exception {
        Account account = f.awsAccount();
        UUID id = f.approvedExecution(account, 1);
        cloud.inFlightBound(Duration.ofMinutes(10));
        cloud.holdGuard();
        int purchasesBefore = cloud.purchaseRequests();

        // worker A: claim, lock + write-ahead, then a slow guard lookup (no heartbeat: its lease runs out)
        ClaimedExecution a = f.store.claim("worker-a", f.properties.lease()).orElseThrow();
        Future<ExecutionRun.End> runA = threads.submit(f.run(a)::run);
        cloud.awaitHeldGuard();
        String lockKey = f.store.items(id).get(0).purchaseLockKey();
        Integer pid = f.sql.queryForObject("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND objsubid = 1 AND classid = ((hashtextextended(?, 0) >> 32) & 4294967295)::oid "
                + "AND objid = (hashtextextended(?, 0) & 4294967295)::oid", Integer.class, lockKey, lockKey);
        // PostgreSQL restarts for A: its session and the advisory lock vanish
        assertThat(f.sql.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> f.sql.queryForObject(
                "SELECT lease_until < now() FROM executions WHERE id = ?", Boolean.class, id));
        assertThat(f.leaseSweep(Clock.systemUTC()).batch(100)).isEqualTo(1);

        // worker B: A's attempt is unfinished and young, so B waits and buys nothing
        ClaimedExecution b = f.store.claim("worker-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(b.id()).isEqualTo(id);
        f.run(b).run();
        assertThat(cloud.purchaseRequests() - purchasesBefore).as("B bought nothing").isZero();
        assertThat(f.status(id)).as("B handed the execution back").isEqualTo("APPROVED");
        assertThat(f.sql.queryForObject("SELECT not_before > now() + interval '5 minutes' FROM executions "
                + "WHERE id = ?", Boolean.class, id)).as("until A's attempt can no longer buy").isTrue();
        assertThat(item(id, 0).status()).isIn(ItemStatus.PENDING, ItemStatus.PURCHASING);

        // A's guard answers now: its gate finds the lock gone and A sends nothing
        cloud.releaseGuard();
        try {
            runA.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // A's connection is gone: it cannot record anything either
        }
        assertThat(cloud.purchaseRequests() - purchasesBefore).as("A sent no purchase").isZero();
        assertThat(cloud.gateRefusals()).isPositive();

        // once A's attempt can no longer buy, the next worker buys exactly once
        f.sql.update("UPDATE item_attempts SET started_at = started_at - interval '1 hour' WHERE execution_id = ?", id);
        f.sql.update("UPDATE executions SET not_before = now() WHERE id = ?", id);
        assertThat(runNext(id, "worker-c")).isEqualTo(ExecutionRun.End.FINISHED);
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.commitmentsFor(account.externalId())).isEqualTo(1);
    }

    // ---- defect 7: in progress is not final ----

    @Test
    void a_purchase_the_cloud_has_not_finished_is_recorded_as_confirming_not_bought() throws Exception {
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        cloud.confirmingPurchases(1);

        runNext(id, "w");

        assertThat(f.sql.queryForObject("SELECT status FROM items WHERE execution_id = ?", String.class, id))
                .isEqualTo("CONFIRMING");
        assertThat(f.status(id)).isEqualTo("CONFIRMING");
    }

    // ---- defect 10: disabled accounts ----

    @Test
    void an_item_of_an_account_disabled_after_approval_is_failed_without_a_cloud_call() throws Exception {
        Account account = f.awsAccount();
        UUID id = f.approvedExecution(account, 1);
        int purchasesBefore = cloud.contexts().size();
        f.accounts.update(account.id(), new AccountUpdate(null, false));

        assertThat(runNext(id, "w")).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(cloud.contexts().size()).as("no cloud call").isEqualTo(purchasesBefore);
        ExecutionItem after = item(id, 0);
        assertThat(after.status()).isEqualTo(ItemStatus.FAILED);
        assertThat(after.failureKind()).isEqualTo(FailureKind.REJECTED);
        assertThat(after.error()).contains("disabled").contains("nothing bought");
        assertThat(f.status(id)).isEqualTo("FAILED");
    }

    @Test
    void a_redrive_of_an_item_whose_account_was_disabled_fails_it_again_without_a_cloud_call() throws Exception {
        Account account = f.awsAccount();
        UUID id = f.approvedExecution(account, 1);
        cloud.reject(1);
        runNext(id, "w");
        assertThat(f.status(id)).isEqualTo("FAILED");
        f.accounts.update(account.id(), new AccountUpdate(null, false));
        int callsBefore = cloud.contexts().size();

        assertThat(f.executions.redrive(id, "approver").moved()).isTrue();
        ExecutionItem redriven = item(id, 0);
        assertThat(redriven.status()).as("not put back to PENDING").isEqualTo(ItemStatus.FAILED);
        assertThat(redriven.error()).contains("disabled").contains("nothing bought");
        f.store.claim("w", Duration.ofSeconds(30)).map(f::run).ifPresent(r -> {
            try {
                r.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(cloud.contexts().size()).isEqualTo(callsBefore);
        assertThat(f.status(id)).isEqualTo("FAILED");
    }

    // ---- defect 12: head-of-line blocking on a busy purchase lock ----

    @Test
    void while_one_slow_purchase_holds_account_a_the_other_workers_buy_for_account_b() throws Exception {
        Account a = f.awsAccount();
        Account b = f.awsAccount();
        cloud.holdPurchasesFor(a.externalId());
        UUID a1 = f.approvedExecution(a, 1);
        UUID a2 = f.approvedExecution(a, 1);
        UUID a3 = f.approvedExecution(a, 1);
        UUID b1 = f.approvedExecution(b, 1);
        WorkerPool pool = f.pool(3, Duration.ofMillis(50));
        pool.start();
        try {
            cloud.awaitHeldPurchase();
            await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(f.status(b1)));
            assertThat(cloud.commitmentsFor(b.externalId())).isEqualTo(1);
            assertThat(List.of(a2, a3).stream().flatMap(id -> f.executions.auditTrail(id).stream())
                    .map(AuditEvent::action)).as("a worker handed back the waiting execution").contains("LOCK_BUSY");

            cloud.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> List.of(a1, a2, a3).stream()
                    .allMatch(id -> "SUCCEEDED".equals(f.status(id))));
            assertThat(cloud.commitmentsFor(a.externalId())).isEqualTo(3);
            assertThat(cloud.maxPurchasesInFlightPerAccount()).isEqualTo(1);
        } finally {
            cloud.release();
            pool.stop();
        }
    }
}
