package dev.pledge.app.execution;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Filters and one page of a newest-first listing. Every filter is optional.
 *
 * @param cloud         executions with at least one item in this cloud
 * @param accountId     executions with at least one item for this account
 * @param createdFrom   created at or after (inclusive)
 * @param createdBefore created before (exclusive)
 * @param cursor        the {@link ExecutionPage#nextCursor()} of the previous page, or null for the first
 */
public record ExecutionQuery(Set<ExecutionStatus> statuses, Cloud cloud, UUID accountId, Instant createdFrom,
                             Instant createdBefore, int limit, String cursor) {
    public static final int MAX_LIMIT = 200;

    public ExecutionQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "must be 1-" + MAX_LIMIT + ", was " + limit);
        }
    }

    public static ExecutionQuery firstPage(int limit) {
        return new ExecutionQuery(Set.of(), null, null, null, null, limit, null);
    }

    public ExecutionQuery after(String nextCursor) {
        return new ExecutionQuery(statuses, cloud, accountId, createdFrom, createdBefore, limit, nextCursor);
    }
}
