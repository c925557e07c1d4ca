package dev.pledge.app.console;

import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.security.ApiProperties;
import dev.pledge.app.security.Role;
import org.springframework.stereotype.Component;



/**
 * What a person may do to a purchase now: the buttons a page shows, and the check the action itself
 * repeats before it calls the service. Four-eyes compares people: whoever created a purchase (through
 * the console or any of their API keys) may neither approve nor re-drive it.
 */
@Component
class PurchaseActions {
    private final KeyPeople people;
    private final ApiProperties api;

    PurchaseActions(KeyPeople people, ApiProperties api) {
        this.people = people;
        this.api = api;
    }

    /** Why an action is refused: the person may not ({@code conflict} false, 403) or not in this status (409). */
    record Refusal(String reason, boolean conflict) {
        static Refusal forbidden(String reason) {
            return new Refusal(reason, false);
        }

        static Refusal conflict(String reason) {
            return new Refusal(reason, true);
        }
    }

    /** Each is null when allowed, else why not (shown to the person when they try anyway). */
    record Allowed(Refusal approve, Refusal reject, Refusal redrive, Refusal cancel) {
        public boolean mayApprove() {
            return approve == null;
        }

        public boolean mayReject() {
            return reject == null;
        }

        public boolean mayRedrive() {
            return redrive == null;
        }

        public boolean mayCancel() {
            return cancel == null;
        }

        public boolean any() {
            return mayApprove() || mayReject() || mayRedrive() || mayCancel();
        }
    }

    Allowed of(ExecutionDetail detail, Person me) {
        var e = detail.execution();
        ExecutionStatus status = e.status();
        boolean createdByMe = createdBy(detail, me);
        Refusal approver = me.has(Role.APPROVER) ? null
                : Refusal.forbidden("approving, rejecting and re-driving need the APPROVER role");
        Refusal fourEyes = api.fourEyes() && createdByMe ? Refusal.forbidden("four-eyes: you requested this "
                + "purchase, so another person must approve or re-drive it") : null;
        Refusal pending = status == ExecutionStatus.PENDING_APPROVAL ? null
                : Refusal.conflict("only a purchase waiting for approval can be approved or rejected; it is "
                + Labels.words(status.name()).toLowerCase(java.util.Locale.ROOT));
        Refusal approve = first(approver, fourEyes, pending);
        Refusal reject = first(approver, pending);
        Refusal redrive = first(approver, fourEyes, ExecutionStatus.REDRIVABLE.contains(status) ? null
                : Refusal.conflict("only a failed or partially succeeded purchase can be re-driven; it is "
                + Labels.words(status.name()).toLowerCase(java.util.Locale.ROOT)));
        boolean attempted = detail.items().stream().anyMatch(i -> i.attempts() > 0);
        Refusal cancel = first(me.has(Role.ADMIN) || createdByMe ? null
                        : Refusal.forbidden("only the person who requested a purchase, or an ADMIN, may cancel it"),
                ExecutionStatus.CANCELABLE.contains(status) ? null
                        : Refusal.conflict("a purchase can be canceled only before a worker starts it; it is "
                        + Labels.words(status.name()).toLowerCase(java.util.Locale.ROOT)),
                attempted ? Refusal.conflict("an item of this purchase has been attempted already") : null);
        return new Allowed(approve, reject, redrive, cancel);
    }

    boolean createdBy(ExecutionDetail detail, Person me) {
        String creator = detail.execution().createdBy();
        return creator.equals(me.actor()) || me.id().equals(people.personOfActor(creator));
    }

    String personOf(String actor) {
        return people.personOfActor(actor);
    }

    private static Refusal first(Refusal... reasons) {
        for (Refusal r : reasons) {
            if (r != null) {
                return r;
            }
        }
        return null;
    }

}
