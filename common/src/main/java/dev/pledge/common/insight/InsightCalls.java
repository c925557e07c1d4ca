package dev.pledge.common.insight;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a source makes its cloud calls: the refresh shares a limit on calls in flight across every source
 * ({@code pledge.insights.concurrency}), and a source whose calls do not depend on each other (regions, locations,
 * plan types) may make them at once within that limit. Pages of one list stay sequential: each needs the last
 * one's token. A source wraps every cloud call (or one part's sequence of pages) in {@link #call} or
 * {@link #each}, and never one inside another.
 */
public interface InsightCalls {

    /** One cloud call, made when the limit allows. */
    <T> T call(Supplier<T> call);

    /**
     * One call (or one sequence of pages) per part, at once within the limit; the results in the parts' order.
     * When one part fails the others are abandoned and its failure is thrown: nothing partial is returned.
     */
    <P, T> List<T> each(List<P> parts, Function<P, List<T>> perPart);

    /** One call after another on the caller's thread, without a limit: a source used on its own (tests, tools). */
    InsightCalls SEQUENTIAL = new InsightCalls() {
        @Override
        public <T> T call(Supplier<T> call) {
            return call.get();
        }

        @Override
        public <P, T> List<T> each(List<P> parts, Function<P, List<T>> perPart) {
            List<T> out = new ArrayList<>();
            for (P p : parts) {
                out.addAll(perPart.apply(p));
            }
            return out;
        }
    };
}
