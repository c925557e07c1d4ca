package dev.pledge.emulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The injected faults still to fire, oldest first; each fires for its next N matching calls. */
final class FaultPlan {
    private final List<Armed> armed = new ArrayList<>();

    private static final class Armed {
        final FaultSpec spec;
        int remaining;

        Armed(FaultSpec spec) {
            this.spec = spec;
            this.remaining = spec.times();
        }
    }

    synchronized void add(FaultSpec spec) {
        armed.add(new Armed(spec));
    }

    /** The first armed fault matching the call, counted as fired; empty when none matches. */
    synchronized Optional<FaultSpec> take(CloudCall call) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.spec.matches(call)) {
                if (--a.remaining <= 0) {
                    it.remove();
                }
                return Optional.of(a.spec);
            }
        }
        return Optional.empty();
    }

    /** Armed faults with their remaining counts in {@code times}. */
    synchronized List<FaultSpec> armed() {
        List<FaultSpec> out = new ArrayList<>();
        for (Armed a : armed) {
            FaultSpec s = a.spec;
            out.add(new FaultSpec(s.cloud(), s.type(), s.operation(), s.fault(), a.remaining, s.status(), s.code(),
                    s.delayMs()));
        }
        return out;
    }

    synchronized void clear() {
        armed.clear();
    }
}
