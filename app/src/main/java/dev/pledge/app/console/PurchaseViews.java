package dev.pledge.app.console;

import dev.pledge.app.audit.AuditEvent;
import dev.pledge.app.execution.Execution;
import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the purchase pages show, already in words: the templates only place it. */
final class PurchaseViews {
    private PurchaseViews() {
    }

    record Status(String name, String label, String tone, boolean finished) {
        static Status of(Execution e) {
            String name = e.status().name();
            return new Status(name, Labels.words(name), Labels.tone(name), e.status().isFinished());
        }
    }

    record Row(UUID id, String description, Status status, String requestedBy, String requestedAt) {
        static Row of(Execution e, java.util.function.UnaryOperator<String> person) {
            return new Row(e.id(), e.description() == null ? "" : e.description(), Status.of(e),
                    person.apply(e.createdBy()), Labels.when(e.createdAt()));
        }
    }

    record Item(int position, String type, String cloud, UUID account, String cloudAccount, String region,
                String offering, int quantity, String term, String payment, String status, String statusLabel,
                String outcome, String commitmentId, String error, int attempts, String quote) {
        static Item of(ExecutionItem i, String quote) {
            var r = i.request();
            return new Item(i.position() + 1, r.type().slug(), r.type().cloud().slug(), i.accountId(), r.account(),
                    r.region(), r.offering(), r.quantity(), r.term().slug(),
                    r.payment() == null ? "" : r.payment().slug(), i.status().name(), Labels.words(i.status().name()),
                    i.outcome() == null ? "" : Labels.words(i.outcome().name()),
                    i.commitmentId() == null ? "" : i.commitmentId(),
                    i.error() == null ? "" : i.error(), i.attempts(), quote);
        }
    }

    record Event(String at, Instant occurredAt, String who, String action, String change, String detail,
                 Integer item) {
    }

    record Page(UUID id, String description, Status status, String requestedBy, String requestedAt,
                List<Item> items, List<Event> timeline, PurchaseActions.Allowed allowed, String lastError,
                int attempt, String notBefore) {
    }

    static Page page(ExecutionDetail d, List<AuditEvent> events, PurchaseActions.Allowed allowed,
                     java.util.function.UnaryOperator<String> person, Map<Integer, String> quotes) {
        Execution e = d.execution();
        List<Item> items = d.items().stream().map(i -> Item.of(i, quotes.getOrDefault(i.position(), ""))).toList();
        List<Event> timeline = events.stream().map(ev -> new Event(Labels.when(ev.occurredAt()), ev.occurredAt(),
                person.apply(ev.actor()), Labels.action(ev.action()),
                ev.toStatus() == null ? "" : (ev.fromStatus() == null ? "" : Labels.words(ev.fromStatus()) + " → ")
                        + Labels.words(ev.toStatus()),
                ev.detail() == null ? "" : ev.detail(),
                ev.itemPosition() == null ? null : ev.itemPosition() + 1)).toList();
        return new Page(e.id(), e.description() == null ? "" : e.description(), Status.of(e),
                person.apply(e.createdBy()), Labels.when(e.createdAt()), items, timeline, allowed,
                e.lastError() == null ? "" : e.lastError(), e.attempt(), Labels.when(e.notBefore()));
    }
}
