package dev.pledge.app.engine;

import dev.pledge.app.audit.AuditEvent;
import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.Confirmation;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.GuardUndecidedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, defect 7: a purchase the cloud has accepted but not finished is CONFIRMING until the
 * confirmation sweep reads a final state from the executor; on real PostgreSQL with a test executor.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfirmationSweepTest {
    private InMemoryRdsCloud cloud;
    private EngineFixture f;

    @BeforeAll
    void start(TestSchema db) {
        cloud = new InMemoryRdsCloud();
        f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.steady());
    }

    @BeforeEach
    void nothingConfirmingFromEarlierTests() {
        f.sql.update("UPDATE items SET status = 'BOUGHT' WHERE status = 'CONFIRMING'");
        f.sql.update("UPDATE executions SET status = 'SUCCEEDED' WHERE status IN ('CONFIRMING', 'APPROVED')");
    }

    /** An execution of {@code items} items whose first {@code confirming} purchases are not final yet. */
    private UUID runWithConfirming(int items, int confirming) throws InterruptedException {
        UUID id = f.approvedExecution(f.awsAccount(), items);
        cloud.confirmingPurchases(confirming);
        ClaimedExecution c = f.store.claim("w", Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.id()).isEqualTo(id);
        assertThat(f.run(c).run()).isEqualTo(ExecutionRun.End.FINISHED);
        return id;
    }

    private ExecutionItem item(UUID id, int position) {
        return f.executions.get(id).orElseThrow().items().get(position);
    }

    private int sweep() {
        return f.confirmationSweep(Clock.systemUTC()).cycle().moved();
    }

    private Map<String, Object> execution(UUID id) {
        return f.sql.queryForMap("SELECT status, last_error, finished_at FROM executions WHERE id = ?", id);
    }

    @Test
    void a_confirming_item_becomes_bought_when_the_cloud_says_active_and_the_execution_succeeds() throws Exception {
        UUID id = runWithConfirming(1, 1);
        String commitment = item(id, 0).commitmentId();
        assertThat(item(id, 0).status()).isEqualTo(ItemStatus.CONFIRMING);
        assertThat(execution(id)).containsEntry("status", "CONFIRMING").containsEntry("finished_at", null);
        assertThat(f.executions.auditTrail(id)).filteredOn(e -> e.action().equals("FINISH"))
                .extracting(e -> e.fromStatus() + "->" + e.toStatus()).containsExactly("RUNNING->CONFIRMING");

        cloud.confirmations(commitment, Confirmation.active("Succeeded"));
        assertThat(sweep()).isEqualTo(1);

        assertThat(item(id, 0).status()).isEqualTo(ItemStatus.BOUGHT);
        assertThat(item(id, 0).commitmentId()).isEqualTo(commitment);
        assertThat(execution(id)).containsEntry("status", "SUCCEEDED");
        assertThat(execution(id).get("finished_at")).isNotNull();
        assertThat(f.executions.auditTrail(id)).extracting(AuditEvent::action).endsWith("ITEM_CONFIRMED", "FINISH");
    }

    /**
     * The soak's seed 8: the sweep confirmed an item while its worker was still writing the execution's
     * final status, which read the item as CONFIRMING; the execution was left CONFIRMING with no confirming
     * item, and nothing ever moved it again.
     */
    @Test
    void an_execution_left_confirming_after_its_last_item_was_confirmed_is_given_its_final_status() throws Exception {
        UUID id = runWithConfirming(2, 1);
        assertThat(execution(id)).containsEntry("status", "CONFIRMING");
        // the race's aftermath: the item is BOUGHT (confirmed while the execution was still RUNNING)
        f.sql.update("UPDATE items SET status = 'BOUGHT' WHERE execution_id = ? AND status = 'CONFIRMING'", id);

        sweep();

        assertThat(execution(id)).containsEntry("status", "SUCCEEDED");
        assertThat(execution(id).get("finished_at")).isNotNull();
        assertThat(f.executions.auditTrail(id)).filteredOn(e -> e.action().equals("FINISH"))
                .extracting(e -> e.fromStatus() + "->" + e.toStatus())
                .containsExactly("RUNNING->CONFIRMING", "CONFIRMING->SUCCEEDED");
    }

    @Test
    void a_confirming_item_the_cloud_fails_later_is_failed_with_its_words_and_the_execution_says_so() throws Exception {
        UUID id = runWithConfirming(2, 1);
        String commitment = item(id, 0).commitmentId();
        assertThat(item(id, 1).status()).isEqualTo(ItemStatus.BOUGHT);

        cloud.confirmations(commitment, Confirmation.failed("Failed: payment instrument declined"));
        sweep();

        ExecutionItem failed = item(id, 0);
        assertThat(failed.status()).isEqualTo(ItemStatus.FAILED);
        assertThat(failed.failureKind()).isEqualTo(FailureKind.REJECTED);
        assertThat(failed.commitmentId()).isNull();
        assertThat(failed.error()).contains("payment instrument declined").contains(commitment);
        assertThat(execution(id)).containsEntry("status", "PARTIALLY_SUCCEEDED");
        assertThat((String) execution(id).get("last_error")).contains("item 0").contains("payment instrument declined");
        assertThat(f.executions.auditTrail(id)).filteredOn(e -> e.action().equals("ITEM_CONFIRMATION_FAILED"))
                .extracting(AuditEvent::detail).singleElement().asString().contains("payment instrument declined");
        // a re-drive may buy it again: it is an ordinary failed item now
        assertThat(f.executions.redrive(id, "approver").moved()).isTrue();
    }

    @Test
    void a_pending_answer_or_a_failed_lookup_leaves_the_item_confirming_for_a_later_cycle() throws Exception {
        UUID id = runWithConfirming(1, 1);
        String commitment = item(id, 0).commitmentId();
        cloud.confirmations(commitment, Confirmation.pending("Creating"),
                new GuardUndecidedException("GET reservation order: HTTP 503"), Confirmation.active("Succeeded"));
        int callsBefore = cloud.confirmCalls();

        assertThat(sweep()).as("asked once per cycle").isEqualTo(1);
        assertThat(item(id, 0).status()).isEqualTo(ItemStatus.CONFIRMING);
        assertThat(item(id, 0).error()).contains("Creating");
        assertThat(execution(id)).containsEntry("status", "CONFIRMING");

        sweep();
        assertThat(item(id, 0).status()).as("a failed lookup decides nothing").isEqualTo(ItemStatus.CONFIRMING);
        assertThat(execution(id)).containsEntry("status", "CONFIRMING");

        sweep();
        assertThat(item(id, 0).status()).isEqualTo(ItemStatus.BOUGHT);
        assertThat(execution(id)).containsEntry("status", "SUCCEEDED");
        assertThat(cloud.confirmCalls() - callsBefore).isEqualTo(3);
        assertThat(f.counter(EngineMetrics.CONFIRMATIONS)).isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void a_confirming_execution_can_be_neither_canceled_nor_redriven_and_a_redrive_never_resets_a_confirming_item()
            throws Exception {
        UUID id = runWithConfirming(1, 1);
        assertThat(f.executions.cancel(id, "requester-key").moved()).isFalse();
        assertThat(f.executions.redrive(id, "approver").moved()).isFalse();
        assertThat(item(id, 0).status()).isEqualTo(ItemStatus.CONFIRMING);
        assertThat(f.executions.summary()).containsKey(dev.pledge.app.execution.ExecutionStatus.CONFIRMING);
    }
}
