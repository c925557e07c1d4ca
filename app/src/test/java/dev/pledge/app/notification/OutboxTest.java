package dev.pledge.app.notification;

import dev.pledge.app.account.Account;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox rows the database writes with each status change of a purchase (trigger of V70): in the
 * same transaction, one per announced change, none for the engine's own steps.
 */
@ExtendWith(PostgresExtension.class)
class OutboxTest {
    private final NotificationFixture f;

    OutboxTest(TestSchema db) {
        this.f = new NotificationFixture(db);
    }

    @Test
    void a_purchase_announces_approval_request_approval_and_outcome_but_not_the_engines_steps() {
        Account account = f.account();
        UUID id = f.pending(account, "key:requester");
        assertThat(f.events(id)).containsExactly("purchase-pending-approval");

        assertThat(f.executions.approve(id, "key:approver").moved()).isTrue();
        f.claim(id);
        f.release(id); // a hand-back at shutdown: RUNNING -> APPROVED is not an approval
        f.claim(id);
        f.finish(id, "FAILED", "item 0: REJECTED: no such offering");

        assertThat(f.events(id)).containsExactlyInAnyOrder("purchase-pending-approval", "purchase-approved",
                "purchase-failed");
        JsonNode failed = f.store.forExecution(id).stream()
                .filter(n -> n.event() == NotificationEvent.PURCHASE_FAILED).findFirst().orElseThrow().payload();
        assertThat(failed.path("id").asString()).isEqualTo(id.toString());
        assertThat(failed.path("previousStatus").asString()).isEqualTo("RUNNING");
        assertThat(failed.path("lastError").asString()).isEqualTo("item 0: REJECTED: no such offering");
        assertThat(failed.path("items").get(0).path("offering").asString()).isEqualTo("db.r6g.large");
    }

    @Test
    void the_approval_request_lists_the_items_written_after_the_execution_row() {
        UUID id = f.pending(f.account(), "key:requester");
        JsonNode payload = f.store.forExecution(id).stream().findFirst().orElseThrow().payload();
        assertThat(payload.path("items")).hasSize(1);
        assertThat(payload.path("items").get(0).path("quantity").asInt()).isEqualTo(2);
        assertThat(payload.path("createdBy").asString()).isEqualTo("key:requester");
    }

    @Test
    void a_re_drive_announces_its_new_outcome_and_a_rejection_and_an_expiry_are_announced() {
        Account account = f.account();
        UUID id = f.pending(account, "key:requester");
        f.executions.approve(id, "key:approver");
        f.claim(id);
        f.finish(id, "FAILED", "first");
        assertThat(f.executions.redrive(id, "key:approver").moved()).isTrue();
        f.claim(id);
        f.finish(id, "FAILED", "second");
        assertThat(f.events(id)).filteredOn("purchase-failed"::equals).hasSize(2);
        // the re-drive itself (FAILED -> APPROVED) is not an approval
        assertThat(f.events(id)).filteredOn("purchase-approved"::equals).hasSize(1);

        UUID rejected = f.pending(account, "key:requester");
        f.executions.reject(rejected, "key:approver", "too big");
        assertThat(f.events(rejected)).containsExactlyInAnyOrder("purchase-pending-approval", "purchase-rejected");

        UUID expired = f.pending(account, "key:requester");
        f.sql.update("UPDATE executions SET status = 'EXPIRED', expired_at = now() WHERE id = ?", expired);
        assertThat(f.events(expired)).containsExactlyInAnyOrder("purchase-pending-approval", "purchase-expired");
    }

    @Test
    void a_state_change_that_rolls_back_writes_no_notification() {
        Account account = f.account();
        UUID id = f.pending(account, "key:requester");
        f.tx.executeWithoutResult(status -> {
            assertThat(f.executions.approve(id, "key:approver").moved()).isTrue();
            status.setRollbackOnly();
        });
        assertThat(f.executions.get(id).orElseThrow().execution().status().name()).isEqualTo("PENDING_APPROVAL");
        assertThat(f.events(id)).containsExactly("purchase-pending-approval");

        // a create that fails after the execution row was inserted (an item refused by the database)
        long before = f.sql.queryForObject("SELECT count(*) FROM notifications", Long.class);
        assertThatThrownBy(() -> f.tx.executeWithoutResult(status -> {
            f.sql.update("INSERT INTO executions (execution_token, status, created_by) VALUES (?, 'PENDING_APPROVAL', ?)",
                    "t-" + UUID.randomUUID(), "key:requester");
            f.sql.update("INSERT INTO items (execution_id, position, account_id, type, cloud_account, region, offering, "
                    + "quantity, term) VALUES (gen_random_uuid(), 0, ?, 'aws-rds', 'x', 'r', 'o', 1, '1y')", account.id());
        })).hasMessageContaining("items_execution_id_fkey");
        assertThat(f.sql.queryForObject("SELECT count(*) FROM notifications", Long.class)).isEqualTo(before);
    }

    @Test
    void an_enqueued_event_is_written_once_per_dedupe_key() {
        assertThat((boolean) f.tx.execute(s -> f.store.enqueue(NotificationEvent.BUDGET_THRESHOLD, "budget:b1:2026-12:80",
                null, java.util.Map.of("name", "team a", "percent", 80)))).isTrue();
        assertThat(f.store.enqueue(NotificationEvent.BUDGET_THRESHOLD, "budget:b1:2026-12:80", null,
                java.util.Map.of("name", "team a", "percent", 80))).isFalse();
        assertThat(f.sql.queryForList("SELECT event FROM notifications WHERE dedupe_key = 'budget:b1:2026-12:80'",
                String.class)).containsExactly("budget-threshold");
    }
}
