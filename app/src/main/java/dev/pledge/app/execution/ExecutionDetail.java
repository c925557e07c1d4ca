package dev.pledge.app.execution;

import java.util.List;

/** An execution with its items, in position order. */
public record ExecutionDetail(Execution execution, List<ExecutionItem> items) {
    public ExecutionDetail {
        items = List.copyOf(items);
    }
}
