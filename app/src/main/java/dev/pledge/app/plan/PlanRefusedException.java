package dev.pledge.app.plan;

/** A plan action that cannot be done (unknown plan, wrong status, same owner approving): status is the HTTP answer. */
public class PlanRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    PlanRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
