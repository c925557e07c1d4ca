package dev.pledge.app.execution;

/**
 * The result of a create.
 *
 * @param replayed true when the idempotency key matched an earlier create with the same request:
 *                 nothing new was written and this is that earlier execution
 */
public record CreatedExecution(ExecutionDetail detail, boolean replayed) {
}
