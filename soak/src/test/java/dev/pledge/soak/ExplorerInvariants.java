package dev.pledge.soak;

import dev.pledge.emulator.Commitment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The invariants a sequence must hold, from the two sources of truth: the items Pledge recorded and
 * the commitments the emulated cloud holds in the sequence's own accounts. Pure: no database, no
 * HTTP, so each rule is tested on planted states ({@code ExplorerInvariantsTest}).
 */
final class ExplorerInvariants {
    static final int TOKEN_WINDOW = 16;
    static final String ITEM_TAG = "pledge:item-token";

    /** One item as recorded, with what the explorer derives from its token. */
    record ItemState(int position, String type, String offering, int quantity, String status, String outcome,
                     String commitmentId, String failureKind, String error, String tokenHex, String tokenUuid,
                     boolean earlierAttemptMayHaveBought) {

        boolean bought() {
            return "BOUGHT".equals(status);
        }

        /** Says, in its kind or its text, that nothing was bought. */
        boolean saysNothingBought() {
            return !bought() && ("REJECTED".equals(failureKind) || "TRANSIENT".equals(failureKind)
                    || (error != null && error.toLowerCase(Locale.ROOT).contains("nothing was bought")));
        }

        String label() {
            return "item " + position + " (" + type + ", " + status + (failureKind == null ? "" : " " + failureKind)
                    + (commitmentId == null ? "" : " " + commitmentId) + ")";
        }
    }

    record Finding(String category, String message) {
        @Override
        public String toString() {
            return category + ": " + message;
        }
    }

    enum Stage { ROUND, SETTLED }

    private ExplorerInvariants() {
    }

    /**
     * @param commitments what the cloud holds in the sequence's accounts (including outside purchases)
     * @param outsideIds  ids of the commitments bought outside Pledge
     * @param execution   the execution's status
     * @param stage       after a round: only what must hold at every moment; settled: everything
     */
    static List<Finding> check(List<ItemState> items, List<Commitment> commitments, Set<String> outsideIds,
                               String execution, Stage stage) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<ItemState>> byRecordedId = new HashMap<>();
        for (ItemState i : items) {
            if (i.commitmentId() != null) {
                byRecordedId.computeIfAbsent(last(i.commitmentId()), k -> new ArrayList<>()).add(i);
            }
        }
        byRecordedId.forEach((id, holders) -> {
            if (holders.size() > 1) {
                out.add(new Finding("two-items-one-commitment", "items " + holders.stream().map(ItemState::label)
                        .toList() + " all record commitment " + id + ": the cloud holds one where " + holders.size()
                        + " were bought (an item adopted its sibling's)"));
            }
            if (outsideIds.contains(id)) {
                out.add(new Finding("adopted-outside", holders.stream().map(ItemState::label).toList()
                        + " recorded " + id + ", a commitment bought outside Pledge"));
            }
        });

        List<Commitment> ours = commitments.stream().filter(c -> !outsideIds.contains(c.id())).toList();
        Map<ItemState, List<Commitment>> keyed = new HashMap<>();
        List<Commitment> untracked = new ArrayList<>();
        for (Commitment c : ours) {
            Set<ItemState> byKey = ownersByKeyOrTag(c, items);
            byKey.forEach(i -> keyed.computeIfAbsent(i, k -> new ArrayList<>()).add(c));
            if (names(c).stream().noneMatch(byRecordedId::containsKey)) {
                untracked.add(c);
            }
        }

        for (ItemState i : items) {
            List<Commitment> underKey = keyed.getOrDefault(i, List.of());
            if (i.saysNothingBought() && !underKey.isEmpty()) {
                out.add(new Finding("nothing-bought-while-held", i.label() + " says \"" + shorten(i.error())
                        + "\" while the cloud holds " + describe(underKey.get(0)) + " under its key/tag"));
            } else if (i.saysNothingBought() && i.earlierAttemptMayHaveBought()) {
                untracked.stream().filter(c -> matches(c, i) && ownersByKeyOrTag(c, items).isEmpty()).findFirst()
                        .ifPresent(c -> out.add(new Finding("nothing-bought-while-held", i.label()
                                + " had an attempt whose outcome was unknown and now says \"" + shorten(i.error())
                                + "\" while the cloud holds the untracked " + describe(c) + ", which matches it")));
            }
        }
        if (stage == Stage.ROUND) {
            return out;
        }

        for (ItemState i : items) {
            Set<String> held = new LinkedHashSet<>();
            keyed.getOrDefault(i, List.of()).forEach(c -> held.add(c.id()));
            if (i.commitmentId() != null) {
                ours.stream().filter(c -> names(c).contains(last(i.commitmentId()))).forEach(c -> held.add(c.id()));
            }
            if (held.size() > 1) {
                out.add(new Finding("double-buy", i.label() + " holds " + held.size() + " commitments: " + held));
            }
            if (i.bought()) {
                List<Commitment> recorded = commitments.stream()
                        .filter(c -> names(c).contains(last(i.commitmentId()))).toList();
                if (recorded.isEmpty()) {
                    out.add(new Finding("recorded-not-held", i.label() + " is BOUGHT but the cloud holds no "
                            + i.commitmentId()));
                } else {
                    Set<ItemState> claimed = ownersByKeyOrTag(recorded.get(0), items);
                    claimed.remove(i);
                    if (!claimed.isEmpty()) {
                        out.add(new Finding("holds-anothers", i.label() + " records " + describe(recorded.get(0))
                                + ", which the cloud holds under the key/tag of " + claimed.stream()
                                .map(ItemState::label).toList()));
                    }
                }
            }
        }
        for (Commitment c : untracked) {
            Set<ItemState> owners = ownersByKeyOrTag(c, items);
            out.add(new Finding("lost-track", describe(c) + " is held for " + (owners.isEmpty()
                    ? "no item (untagged, no key of ours)" : owners.stream().map(ItemState::label).toList())
                    + " but no item records it (execution " + execution + ")"));
        }
        if ("APPROVED".equals(execution) || "RUNNING".equals(execution)) {
            out.add(new Finding("stuck", "the execution is still " + execution + " after settling"));
        }
        return out;
    }

    /** Items whose token the commitment's key or item tag carries (a 16-hex slice or the token's UUID). */
    static Set<ItemState> ownersByKeyOrTag(Commitment c, List<ItemState> items) {
        Set<ItemState> owners = new LinkedHashSet<>();
        List<String> labels = new ArrayList<>();
        if (c.key() != null) {
            labels.add(c.key().toLowerCase(Locale.ROOT));
        }
        String tag = c.tags().get(ITEM_TAG);
        if (tag != null) {
            labels.add(tag.toLowerCase(Locale.ROOT));
        }
        for (ItemState i : items) {
            String window = i.tokenHex().substring(0, TOKEN_WINDOW);
            for (String label : labels) {
                if (label.contains(window) || label.equals(i.tokenUuid())) {
                    owners.add(i);
                }
            }
        }
        return owners;
    }

    /** The same type, offering and count as the item asked for. */
    static boolean matches(Commitment c, ItemState i) {
        return c.type().equals(i.type()) && c.quantity() == i.quantity()
                && (i.offering().equalsIgnoreCase(c.offering().product())
                || i.offering().equalsIgnoreCase(c.offering().offeringId()));
    }

    /** The names a commitment is known by: its id and key, each also as a path's last segment. */
    static Set<String> names(Commitment c) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : new String[] {c.id(), c.key()}) {
            if (n != null && !n.isBlank()) {
                names.add(last(n));
            }
        }
        return names;
    }

    static String last(String id) {
        String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    static String describe(Commitment c) {
        return c.type() + " " + c.id() + (c.key() == null ? "" : " key " + c.key()) + " (" + c.quantity() + " x "
                + c.offering().product() + (c.tags().containsKey(ITEM_TAG) ? ", tagged" : ", untagged") + ")";
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
