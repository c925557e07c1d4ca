package dev.pledge.app.notification;

import dev.pledge.common.model.ValidationException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a notification announces. The {@link #wireName()} is what the outbox stores, webhooks send as
 * {@code event} and {@code X-Pledge-Event}, and configuration lists name. Purchase events are written by
 * the database (trigger on {@code executions}, V70); the others by the code that changes their subject,
 * with {@link NotificationStore#enqueue} in its own transaction.
 */
public enum NotificationEvent {
    PURCHASE_PENDING_APPROVAL("purchase-pending-approval", Subject.PURCHASE, "waits for approval"),
    PURCHASE_APPROVED("purchase-approved", Subject.PURCHASE, "was approved"),
    PURCHASE_SUCCEEDED("purchase-succeeded", Subject.PURCHASE, "succeeded"),
    PURCHASE_PARTIALLY_SUCCEEDED("purchase-partially-succeeded", Subject.PURCHASE, "partially succeeded"),
    PURCHASE_FAILED("purchase-failed", Subject.PURCHASE, "failed"),
    PURCHASE_EXPIRED("purchase-expired", Subject.PURCHASE, "expired without approval"),
    PURCHASE_REJECTED("purchase-rejected", Subject.PURCHASE, "was rejected"),
    PURCHASE_CANCELED("purchase-canceled", Subject.PURCHASE, "was canceled"),
    /** A held commitment ends within a configured number of days (once per commitment and threshold). */
    COMMITMENT_EXPIRING("commitment-expiring", Subject.COMMITMENT, "expires soon"),
    /** A budget reached a threshold (80 %, 100 %): for the budget work, which enqueues it with its change. */
    BUDGET_THRESHOLD("budget-threshold", Subject.BUDGET, "reached a threshold"),
    /** A plan proposed purchases: for the plan work, which enqueues it with its proposal. */
    PLAN_PROPOSAL("plan-proposal", Subject.PLAN, "proposed a purchase");

    /** What an event is about: the JSON field of a webhook body that carries the payload. */
    public enum Subject {
        PURCHASE("purchase"), COMMITMENT("commitment"), BUDGET("budget"), PLAN("plan");

        private final String field;

        Subject(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private final String wireName;
    private final Subject subject;
    private final String verb;

    NotificationEvent(String wireName, Subject subject, String verb) {
        this.wireName = wireName;
        this.subject = subject;
        this.verb = verb;
    }

    public String wireName() {
        return wireName;
    }

    public Subject subject() {
        return subject;
    }

    /** How a message says what happened: "purchase ... waits for approval". */
    String verb() {
        return verb;
    }

    /** The event with this wire name; a name this version does not know throws, naming {@code field}. */
    public static NotificationEvent parse(String field, String name) {
        for (NotificationEvent e : values()) {
            if (e.wireName.equals(name)) {
                return e;
            }
        }
        throw new ValidationException(field, "unknown notification event '" + name + "'; known: " + known());
    }

    static String known() {
        return Arrays.stream(values()).map(NotificationEvent::wireName).collect(Collectors.joining(", "));
    }
}
