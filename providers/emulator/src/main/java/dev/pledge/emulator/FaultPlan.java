package dev.pledge.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The injected faults still to fire, oldest first; each fires for its next N matching calls. */
final class FaultPlan {
    private final List<Armed> armed = new ArrayList<>();

    private static final class Armed {
        final FaultSpec spec;
        int remaining;

        Armed(FaultSpec spec, int remaining) {
            this.spec = spec;
            this.remaining = remaining;
        }
    }

    synchronized void add(FaultSpec spec) {
        armed.add(new Armed(spec, spec.times()));
    }

    /**
     * The first armed fault matching the call, counted as fired; empty when none matches. A
     * commit-then-throttle fires once and leaves in its place a throttle for the next {@code times}
     * calls of the operation it hit.
     */
    synchronized Optional<FaultSpec> take(CloudCall call) {
        for (int i = 0; i < armed.size(); i++) {
            Armed a = armed.get(i);
            if (!a.spec.matches(call)) {
                continue;
            }
            if (a.spec.fault() == FaultKind.COMMIT_THEN_THROTTLE) {
                FaultSpec s = a.spec;
                FaultSpec throttle = new FaultSpec(s.cloud(), call.type(), call.operation(), FaultKind.THROTTLE,
                        s.times(), s.status(), s.code(), 0, Set.of());
                armed.set(i, new Armed(throttle, s.times()));
                return Optional.of(s);
            }
            if (--a.remaining <= 0) {
                armed.remove(i);
            }
            return Optional.of(a.spec);
        }
        return Optional.empty();
    }

    /** Armed faults with their remaining counts in {@code times}. */
    synchronized List<FaultSpec> armed() {
        List<FaultSpec> out = new ArrayList<>();
        for (Armed a : armed) {
            out.add(a.spec.fault() == FaultKind.COMMIT_THEN_THROTTLE ? a.spec : a.spec.withTimes(a.remaining));
        }
        return out;
    }

    synchronized void clear() {
        armed.clear();
    }
}
