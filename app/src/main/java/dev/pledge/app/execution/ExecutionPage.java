package dev.pledge.app.execution;

import java.util.List;

/** One page, newest first; {@code nextCursor} is null on the last page. */
public record ExecutionPage(List<Execution> executions, String nextCursor) {
    public ExecutionPage {
        executions = List.copyOf(executions);
    }
}
