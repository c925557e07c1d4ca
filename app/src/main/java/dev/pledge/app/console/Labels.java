package dev.pledge.app.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Words for statuses and audit actions. A status or action this class does not know (a new one added
 * elsewhere) is shown by its name, in words, with a neutral style: never an error, never hidden.
 */
final class Labels {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("CREATE", "Requested"), Map.entry("APPROVE", "Approved"), Map.entry("REJECT", "Rejected"),
            Map.entry("CANCEL", "Canceled"), Map.entry("REDRIVE", "Re-driven"), Map.entry("EXPIRE", "Expired"),
            Map.entry("CLAIM", "Started by a worker"), Map.entry("ITEM_ATTEMPT", "Purchase call sent"),
            Map.entry("ITEM_OUTCOME", "Outcome recorded"), Map.entry("FINISH", "Finished"),
            Map.entry("RELEASE", "Released by its worker"), Map.entry("LEASE_EXPIRED", "Worker lost; retried"),
            Map.entry("ITEM_OUTCOME_UNRECORDED", "Outcome not recorded"));
    /** The tone of a status, for its badge; readable without colour because the badge also has the words. */
    private static final Map<String, String> TONES = Map.of(
            "PENDING_APPROVAL", "waiting", "APPROVED", "active", "RUNNING", "active", "SUCCEEDED", "good",
            "PARTIALLY_SUCCEEDED", "warn", "FAILED", "bad", "REJECTED", "muted", "CANCELED", "muted",
            "EXPIRED", "muted");

    private Labels() {
    }

    /** {@code PARTIALLY_SUCCEEDED} -> {@code Partially succeeded}. */
    static String words(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String s = name.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String tone(String status) {
        return TONES.getOrDefault(status, "other");
    }

    static String action(String action) {
        return ACTIONS.getOrDefault(action, words(action));
    }

    static String when(Instant t) {
        return t == null ? "" : WHEN.format(t);
    }
}
