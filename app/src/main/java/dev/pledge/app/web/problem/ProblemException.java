package dev.pledge.app.web.problem;

/** Thrown by controllers to answer with a given problem; the advice turns it into the response. */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(String.valueOf(problem.body().get("detail")));
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
