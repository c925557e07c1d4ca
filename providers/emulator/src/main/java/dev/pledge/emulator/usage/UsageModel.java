package dev.pledge.emulator.usage;

import dev.pledge.common.model.Cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The usage lines a test or the demo set ({@code PUT /__pledge/usage}); thread-safe. */
public final class UsageModel {
    private final Map<String, Usage> lines = new LinkedHashMap<>();

    /** Adds or replaces lines (same cloud, type, account, region and product); units 0 removes one. */
    public synchronized void put(List<Usage> usage) {
        for (Usage u : usage) {
            if (u.units().signum() == 0) {
                lines.remove(u.slot());
            } else {
                lines.put(u.slot(), u);
            }
        }
    }

    public synchronized List<Usage> all() {
        return List.copyOf(lines.values());
    }

    /** Usage lines of a type in an account ({@code account} null: every account). */
    public List<Usage> of(Cloud cloud, String type, String account) {
        List<Usage> out = new ArrayList<>();
        for (Usage u : all()) {
            if (u.cloud() == cloud && u.type().equals(type) && (account == null || u.account().equals(account))) {
                out.add(u);
            }
        }
        return out;
    }

    public synchronized void clear() {
        lines.clear();
    }
}
