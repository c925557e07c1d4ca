package dev.pledge.app.console;

import dev.pledge.app.execution.Execution;
import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.app.security.ApiProperties;
import dev.pledge.app.security.Role;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentRequest;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which buttons a person gets, by status and by who they are; the actions check the same answers. */
class PurchaseActionsTest {
    private static final Person RITA = new Person("rita@example.com", Set.of(Role.REQUESTER, Role.APPROVER), "sso");
    private static final Person ADA = new Person("ada@example.com", Set.of(Role.APPROVER), "sso");
    private static final Person VERA = new Person("vera@example.com", Set.of(Role.VIEWER), "sso");
    private static final Person ADMIN = new Person("root@example.com", Set.of(Role.ADMIN), "sso");

    private final PurchaseActions actions = new PurchaseActions(new KeyPeople(null),
            new ApiProperties(true, DataSize.ofKilobytes(512), Duration.ofSeconds(60), null, "bootstrap-admin", false, 20,
                    Duration.ofSeconds(6)));

    private static ExecutionDetail purchase(ExecutionStatus status, int attempts) {
        Execution e = new Execution(UUID.randomUUID(), ExecutionToken.generate(), status, "d", null,
                "rita@example.com", Instant.EPOCH, null, null, null, null, null, null, null, null, null, null, 1, 0,
                null, null, null, null, null, null);
        CommitmentRequest r = CommitmentRequest.parse("aws-rds", "123456789012", "us-east-1", "db.r6g.large", 1, "1y",
                "no-upfront", Map.of());
        ExecutionItem item = new ExecutionItem(0, UUID.randomUUID(), r, attempts > 0 ? ItemStatus.FAILED
                : ItemStatus.PENDING, null, null, null, null, null, attempts, null, null);
        return new ExecutionDetail(e, List.of(item));
    }

    @Test
    void the_requester_gets_no_approve_button_on_her_own_purchase_even_holding_approver() {
        var mine = actions.of(purchase(ExecutionStatus.PENDING_APPROVAL, 0), RITA);
        assertThat(mine.mayApprove()).isFalse();
        assertThat(mine.approve().reason()).contains("four-eyes");
        assertThat(mine.approve().conflict()).isFalse();
        assertThat(mine.mayReject()).as("rejecting her own request is no risk").isTrue();
        assertThat(mine.mayCancel()).isTrue();

        var other = actions.of(purchase(ExecutionStatus.PENDING_APPROVAL, 0), ADA);
        assertThat(other.mayApprove()).isTrue();
        assertThat(other.mayCancel()).as("someone else's purchase").isFalse();
        assertThat(actions.of(purchase(ExecutionStatus.PENDING_APPROVAL, 0), VERA).any()).isFalse();
        assertThat(actions.of(purchase(ExecutionStatus.PENDING_APPROVAL, 0), ADMIN).mayCancel()).isTrue();
    }

    @Test
    void re_drive_is_for_another_approver_of_a_failed_purchase_and_cancel_ends_at_the_first_attempt() {
        assertThat(actions.of(purchase(ExecutionStatus.FAILED, 1), ADA).mayRedrive()).isTrue();
        assertThat(actions.of(purchase(ExecutionStatus.FAILED, 1), RITA).redrive().reason()).contains("four-eyes");
        var running = actions.of(purchase(ExecutionStatus.RUNNING, 0), ADA);
        assertThat(running.redrive().conflict()).isTrue();
        assertThat(running.any()).isFalse();
        // approved, not started yet, but an item was attempted already (a re-drive): no cancel
        var attempted = actions.of(purchase(ExecutionStatus.APPROVED, 1), RITA);
        assertThat(attempted.mayCancel()).isFalse();
        assertThat(attempted.cancel().reason()).contains("attempted");
        assertThat(actions.of(purchase(ExecutionStatus.APPROVED, 0), RITA).mayCancel()).isTrue();
    }
}
