package dev.pledge.app.execution;

import java.util.function.UnaryOperator;

/**
 * Separation of duties on a purchase: the person who created it may not approve it or re-drive it.
 * People, not keys: an actor is mapped to its owner (the person behind an API key) before comparing,
 * so one person's two keys count as one person.
 */
@FunctionalInterface
public interface FourEyes {

    /** Throws {@link FourEyesException} when {@code actor} may not do {@code action} to {@code execution}. */
    void check(Execution execution, String actor, String action);

    /** No check (pledge.api.four-eyes=false). */
    FourEyes OFF = (execution, actor, action) -> {
    };

    /** Refuses when the actor's owner equals the creator's owner. */
    static FourEyes byOwner(UnaryOperator<String> ownerOf) {
        return (execution, actor, action) -> {
            String creator = ownerOf.apply(execution.createdBy());
            String me = ownerOf.apply(actor);
            if (creator != null && creator.equals(me)) {
                throw new FourEyesException(execution.id(), action, me);
            }
        };
    }
}
