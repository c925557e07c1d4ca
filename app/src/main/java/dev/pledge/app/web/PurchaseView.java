package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.execution.Execution;
import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ExecutionService;

import dev.pledge.app.price.ItemQuote;
import dev.pledge.app.price.PriceStore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A purchase (an execution) as the API shows it. The execution token appears masked only.
 * {@code items} is present on a single purchase and absent in lists. {@code people} names the person
 * behind each actor of the view ({@code key:<id>} is the key's owner and name).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PurchaseView(UUID id, String status, String description, Instant notBefore, String createdBy,
                    Instant createdAt, String approvedBy, Instant approvedAt, String rejectedBy, Instant rejectedAt,
                    String rejectReason, String canceledBy, Instant canceledAt, Instant expiredAt, String redrivenBy,
                    Instant redrivenAt, int attempt, Instant startedAt, Instant finishedAt, String lastError,
                    String token, Map<String, Map<String, BigDecimal>> totals, List<ItemView> items,
                    Map<String, ActorNames.Person> people, ExecutionService.Approvals approvals) {

    static PurchaseView of(Execution e) {
        return of(e, null);
    }

    static PurchaseView of(ExecutionDetail d) {
        return of(d, Map.of());
    }

    /** With each item's quote and the sums per currency (issue 16). */
    static PurchaseView of(ExecutionDetail d, Map<Integer, ItemQuote> quotes) {
        return of(d.execution(), quotes.isEmpty() ? null : PriceStore.totals(quotes.values()),
                d.items().stream().map(i -> ItemView.of(i, quotes.get(i.position()))).toList());
    }

    private static PurchaseView of(Execution e, List<ItemView> items) {
        return of(e, null, items);
    }

    private static PurchaseView of(Execution e, Map<String, Map<String, BigDecimal>> totals, List<ItemView> items) {
        return new PurchaseView(e.id(), e.status().name(), e.description(), e.notBefore(), e.createdBy(),
                e.createdAt(), e.approvedBy(), e.approvedAt(), e.rejectedBy(), e.rejectedAt(), e.rejectReason(),
                e.canceledBy(), e.canceledAt(), e.expiredAt(), e.redrivenBy(), e.redrivenAt(), e.attempt(),
                e.startedAt(), e.finishedAt(), e.lastError(), e.token().masked(), totals, items, null, null);
    }

    /** Every actor named in this view ({@code createdBy}, {@code approvedBy}, ...), in order, without nulls. */
    java.util.Set<String> actors() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String a : new String[] {createdBy, approvedBy, rejectedBy, canceledBy, redrivenBy}) {
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** The same view with the person behind each of its actors (issue 19: people, not keys). */
    PurchaseView withPeople(Map<String, ActorNames.Person> named) {
        return new PurchaseView(id, status, description, notBefore, createdBy, createdAt, approvedBy, approvedAt,
                rejectedBy, rejectedAt, rejectReason, canceledBy, canceledAt, expiredAt, redrivenBy, redrivenAt,
                attempt, startedAt, finishedAt, lastError, token, totals, items, named, approvals);
    }

    /** With the approvals it needs and has (shown when it needs two: pledge.purchases.second-approval-above). */
    PurchaseView withApprovals(ExecutionService.Approvals a) {
        return new PurchaseView(id, status, description, notBefore, createdBy, createdAt, approvedBy, approvedAt,
                rejectedBy, rejectedAt, rejectReason, canceledBy, canceledAt, expiredAt, redrivenBy, redrivenAt,
                attempt, startedAt, finishedAt, lastError, token, totals, items, people,
                a == null || a.needed() < 2 ? null : a);
    }

    /** One line item: what was asked and what came of it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemView(int position, UUID account, String type, String cloudAccount, String region, String offering,
                    int quantity, String term, String payment, Map<String, String> attributes, String status,
                    String outcome, String commitmentId, String commitmentKey, String failureKind, String error,
                    int attempts, Instant attemptStartedAt, Instant attemptFinishedAt, ItemQuote price) {

        static ItemView of(ExecutionItem i, ItemQuote price) {
            var r = i.request();
            return new ItemView(i.position(), i.accountId(), r.type().slug(), r.account(), r.region(), r.offering(),
                    r.quantity(), r.term().slug(), r.payment() == null ? null : r.payment().slug(), r.attributes(),
                    i.status().name(), i.outcome() == null ? null : i.outcome().name(), i.commitmentId(),
                    i.commitmentKey(), i.failureKind() == null ? null : i.failureKind().name(), i.error(),
                    i.attempts(), i.attemptStartedAt(), i.attemptFinishedAt(), price);
        }
    }
}
