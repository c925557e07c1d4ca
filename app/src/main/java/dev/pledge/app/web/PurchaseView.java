package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.execution.Execution;
import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A purchase (an execution) as the API shows it. The execution token appears masked only.
 * {@code items} is present on a single purchase and absent in lists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PurchaseView(UUID id, String status, String description, Instant notBefore, String createdBy,
                    Instant createdAt, String approvedBy, Instant approvedAt, String rejectedBy, Instant rejectedAt,
                    String rejectReason, String canceledBy, Instant canceledAt, Instant expiredAt, String redrivenBy,
                    Instant redrivenAt, int attempt, Instant startedAt, Instant finishedAt, String lastError,
                    String token, List<ItemView> items) {

    static PurchaseView of(Execution e) {
        return of(e, null);
    }

    static PurchaseView of(ExecutionDetail d) {
        return of(d.execution(), d.items().stream().map(ItemView::of).toList());
    }

    private static PurchaseView of(Execution e, List<ItemView> items) {
        return new PurchaseView(e.id(), e.status().name(), e.description(), e.notBefore(), e.createdBy(),
                e.createdAt(), e.approvedBy(), e.approvedAt(), e.rejectedBy(), e.rejectedAt(), e.rejectReason(),
                e.canceledBy(), e.canceledAt(), e.expiredAt(), e.redrivenBy(), e.redrivenAt(), e.attempt(),
                e.startedAt(), e.finishedAt(), e.lastError(), e.token().masked(), items);
    }

    /** One line item: what was asked and what came of it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemView(int position, UUID account, String type, String cloudAccount, String region, String offering,
                    int quantity, String term, String payment, Map<String, String> attributes, String status,
                    String outcome, String commitmentId, String commitmentKey, String failureKind, String error,
                    int attempts, Instant attemptStartedAt, Instant attemptFinishedAt) {

        static ItemView of(ExecutionItem i) {
            var r = i.request();
            return new ItemView(i.position(), i.accountId(), r.type().slug(), r.account(), r.region(), r.offering(),
                    r.quantity(), r.term().slug(), r.payment() == null ? null : r.payment().slug(), r.attributes(),
                    i.status().name(), i.outcome() == null ? null : i.outcome().name(), i.commitmentId(),
                    i.commitmentKey(), i.failureKind() == null ? null : i.failureKind().name(), i.error(),
                    i.attempts(), i.attemptStartedAt(), i.attemptFinishedAt());
        }
    }
}
