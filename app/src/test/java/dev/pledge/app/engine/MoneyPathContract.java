package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestCloud;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes, lost responses and re-drives through the real engine: the cloud must end with exactly
 * one commitment per item. Subclasses choose the cloud behind the executors.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MoneyPathContract {
    private TestCloud cloud;
    private EngineFixture f;

    abstract TestCloud newCloud();

    @BeforeAll
    void start(TestSchema db) {
        cloud = newCloud();
        f = new EngineFixture(db, cloud.executors(),
                EngineFixture.properties(Duration.ofMillis(400), Duration.ofMillis(100), 3, Duration.ofDays(7)));
    }

    @BeforeEach
    void resetCounts() {
        cloud.resetCounts();
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    private Account account() {
        return f.account(cloud, "money path");
    }

    private UUID approved(Account account, int items) {
        return f.approved(cloud, account, items);
    }

    private ExecutionRun.End runNext(UUID expected) throws InterruptedException {
        ClaimedExecution c = f.store.claim("worker-" + UUID.randomUUID().toString().substring(0, 4),
                Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.id()).isEqualTo(expected);
        return f.run(c).run();
    }

    private List<ExecutionItem> items(UUID id) {
        return f.executions.get(id).orElseThrow().items();
    }

    @Test
    void a_worker_abandoned_after_the_cloud_committed_is_finished_by_another_and_the_cloud_holds_one_commitment()
            throws Exception {
        Account account = account();
        UUID id = approved(account, 1);

        // the doomed worker: claim, write-ahead, the cloud commits, then the process dies
        ClaimedExecution doomed = f.store.claim("doomed", f.properties.lease()).orElseThrow();
        assertThat(f.store.recordAttempt(doomed, 0).write()).isEqualTo(OwnedWrite.APPLIED);
        WorkItem item = f.store.items(id).get(0);
        cloud.executors().executor(item.request().type()).purchase(item.request(),
                PurchaseContext.withToken(doomed.token().item(0), id.toString(), List.of()));
        assertThat(cloud.commitments(account)).isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> f.sql.queryForObject(
                "SELECT lease_until < now() FROM executions WHERE id = ?", Boolean.class, id));
        assertThat(f.leaseSweep(Clock.systemUTC()).batch(100)).isEqualTo(1);
        // the doomed attempt is long past the time it could still be buying (guards wait for a young one)
        f.sql.update("UPDATE item_attempts SET started_at = started_at - interval '1 day' WHERE execution_id = ?", id);
        assertThat(runNext(id)).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.commitments(account)).isEqualTo(1);
        assertThat(cloud.purchaseRequests()).isEqualTo(1);
        ExecutionItem after = items(id).get(0);
        assertThat(after.outcome()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(after.attempts()).isEqualTo(2);
        assertThat(f.sql.queryForList("SELECT result FROM item_attempts WHERE execution_id = ? ORDER BY attempt",
                String.class, id)).as("the doomed attempt stays without a result").containsExactly(null, "ALREADY_OWNED");
    }

    @Test
    void a_lost_response_fails_the_item_and_the_redrive_goes_through_the_guard_leaving_one_commitment_per_item()
            throws Exception {
        Account account = account();
        UUID id = approved(account, 2);
        cloud.loseNextPurchaseResponse();

        assertThat(runNext(id)).isEqualTo(ExecutionRun.End.FINISHED);
        assertThat(f.status(id)).isEqualTo("PARTIALLY_SUCCEEDED");
        ExecutionItem unknown = items(id).get(0);
        assertThat(unknown.status()).isEqualTo(ItemStatus.FAILED);
        assertThat(unknown.failureKind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        assertThat(unknown.error()).contains("may have been bought");
        String boughtBefore = items(id).get(1).commitmentId();

        assertThat(f.executions.redrive(id, "approver").moved()).isTrue();
        assertThat(runNext(id)).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(items(id)).extracting(ExecutionItem::outcome)
                .containsExactly(OutcomeKind.ALREADY_OWNED, OutcomeKind.BOUGHT);
        assertThat(items(id).get(1).commitmentId()).as("bought items are not touched").isEqualTo(boughtBefore);
        assertThat(items(id).get(1).attempts()).isEqualTo(1);
        assertThat(cloud.commitments(account)).as("one commitment per item").isEqualTo(2);
        assertThat(cloud.purchaseRequests()).isEqualTo(2);
        assertThat(f.executions.get(id).orElseThrow().execution().attempt()).isEqualTo(2);
    }

    @Test
    void an_item_whose_outcome_was_unknown_and_whose_guard_cannot_decide_fails_with_verify_in_the_cloud_console()
            throws Exception {
        Account account = account();
        UUID id = approved(account, 1);
        cloud.loseNextPurchaseResponse();
        runNext(id);
        assertThat(f.status(id)).isEqualTo("FAILED");

        f.executions.redrive(id, "approver");
        cloud.failNextLookup();
        runNext(id);

        assertThat(f.status(id)).isEqualTo("FAILED");
        ExecutionItem item = items(id).get(0);
        assertThat(item.failureKind()).isEqualTo(FailureKind.GUARD_UNDECIDED);
        assertThat(item.error()).contains("verify in the cloud console, then re-drive");
        assertThat(f.executions.get(id).orElseThrow().execution().lastError())
                .contains("item 0: ").contains("verify in the cloud console, then re-drive");
        assertThat(cloud.purchaseRequests()).as("nothing was sent without the guard").isEqualTo(1);

        f.executions.redrive(id, "approver");
        runNext(id);
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(items(id).get(0).outcome()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThat(cloud.commitments(account)).isEqualTo(1);
    }

    @Test
    void a_refused_item_leaves_the_others_bought_and_a_redrive_buys_only_what_is_missing() throws Exception {
        Account account = account();
        UUID id = approved(account, 3);
        cloud.rejectNextPurchase();

        runNext(id);
        assertThat(f.status(id)).isEqualTo("PARTIALLY_SUCCEEDED");
        assertThat(items(id)).extracting(ExecutionItem::status)
                .containsExactly(ItemStatus.FAILED, ItemStatus.BOUGHT, ItemStatus.BOUGHT);
        assertThat(items(id).get(0).error()).contains("nothing was bought");

        f.executions.redrive(id, "approver");
        runNext(id);

        assertThat(f.executions.get(id).orElseThrow().execution().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(cloud.commitments(account)).as("one commitment per item").isEqualTo(3);
        assertThat(items(id)).extracting(ExecutionItem::attempts).containsExactly(2, 1, 1);
    }

    @Test
    void a_lease_that_expires_max_claims_times_fails_saying_what_to_verify_and_a_redrive_buys_once() throws Exception {
        Account account = account();
        UUID id = approved(account, 1);
        LeaseSweep sweep = f.leaseSweep(Clock.systemUTC());
        String token = f.executions.get(id).orElseThrow().execution().token().value();

        for (int claim = 1; claim <= f.properties.maxClaims(); claim++) {
            // a worker claims, records its attempt, and dies before calling the cloud
            ClaimedExecution c = f.store.claim("dying-" + claim, f.properties.lease()).orElseThrow();
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.token().value()).as("same token on every claim").isEqualTo(token);
            assertThat(f.store.recordAttempt(c, 0).write()).isEqualTo(OwnedWrite.APPLIED);
            await().atMost(Duration.ofSeconds(20)).until(() -> f.sql.queryForObject(
                    "SELECT lease_until < now() FROM executions WHERE id = ?", Boolean.class, id));
            assertThat(sweep.batch(100)).isEqualTo(1);
            assertThat(f.status(id)).isEqualTo(claim < f.properties.maxClaims() ? "APPROVED" : "FAILED");
        }

        assertThat(f.sql.queryForObject("SELECT last_error FROM executions WHERE id = ?", String.class, id))
                .contains("lease expired " + f.properties.maxClaims() + " time(s)")
                .contains("verify in the cloud console, then re-drive");
        assertThat(f.sql.queryForMap("SELECT status, failure_kind FROM items WHERE execution_id = ?", id))
                .containsEntry("status", "FAILED").containsEntry("failure_kind", "OUTCOME_UNKNOWN");
        assertThat(f.executions.auditTrail(id)).filteredOn(e -> e.action().equals("LEASE_EXPIRED"))
                .extracting(e -> e.toStatus()).endsWith("FAILED");

        // a re-drive starts a new attempt with the same token; the item goes through the guard
        assertThat(f.executions.redrive(id, "approver").moved()).isTrue();
        ClaimedExecution c = f.store.claim("healthy", Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.attempt()).isEqualTo(2);
        assertThat(c.claims()).isEqualTo(1);
        ExecutionRun.End first = f.run(c).run();
        if (first == ExecutionRun.End.HANDED_BACK) {
            // executors that refuse while an unfinished attempt may still be in flight: the dead workers'
            // attempts are young, so the guard waits and nothing is sent; once they are older than the
            // in-flight bound (backdated here instead of waiting) the next claim decides
            assertThat(cloud.purchaseRequests()).as("nothing sent while an attempt may be in flight").isZero();
            f.sql.update("UPDATE item_attempts SET started_at = started_at - interval '1 day' WHERE execution_id = ?"
                    + " AND finished_at IS NULL", id);
            f.sql.update("UPDATE executions SET not_before = now() WHERE id = ?", id);
            c = f.store.claim("healthy", Duration.ofSeconds(30)).orElseThrow();
            first = f.run(c).run();
        }
        assertThat(first).isEqualTo(ExecutionRun.End.FINISHED);
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.commitments(account)).as("one commitment per item").isEqualTo(1);
        assertThat(cloud.purchaseRequests()).isEqualTo(1);
    }
}
