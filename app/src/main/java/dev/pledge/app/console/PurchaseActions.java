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

    /** Each is null when allowed, else why not (shown to the person when they try anyway). */
    record Allowed(String approve, String reject, String redrive, String cancel) {
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
        String approver = me.has(Role.APPROVER) ? null : "approving, rejecting and re-driving need the APPROVER role";
        String fourEyes = api.fourEyes() && createdByMe ? "you requested this purchase; four-eyes approval needs "
                + "another person" : null;
        String approve = first(approver, status == ExecutionStatus.PENDING_APPROVAL ? null
                : "only a purchase waiting for approval can be approved; it is " + status, fourEyes);
        String reject = first(approver, status == ExecutionStatus.PENDING_APPROVAL ? null
                : "only a purchase waiting for approval can be rejected; it is " + status);
        String redrive = first(approver, ExecutionStatus.REDRIVABLE.contains(status) ? null
                : "only a FAILED or PARTIALLY_SUCCEEDED purchase can be re-driven; it is " + status, fourEyes);
        boolean attempted = detail.items().stream().anyMatch(i -> i.attempts() > 0);
        String cancel = first(me.has(Role.ADMIN) || createdByMe ? null
                        : "only the person who requested a purchase, or an ADMIN, may cancel it",
                ExecutionStatus.CANCELABLE.contains(status) ? null
                        : "a purchase can be canceled only before a worker starts it; it is " + status,
                attempted ? "an item of this purchase has been attempted already" : null);
        return new Allowed(approve, reject, redrive, cancel);
    }

    boolean createdBy(ExecutionDetail detail, Person me) {
        String creator = detail.execution().createdBy();
        return creator.equals(me.actor()) || me.id().equals(people.personOfActor(creator));
    }

    String personOf(String actor) {
        return people.personOfActor(actor);
    }

    private static String first(String... reasons) {
        for (String r : reasons) {
            if (r != null) {
                return r;
            }
        }
        return null;
    }

}
