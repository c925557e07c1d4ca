package dev.pledge.soak;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.idempotency.ItemToken;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The end-of-run verdict, read from the two sources of truth: what the emulator holds and what
 * the database recorded. Nothing here trusts the engine's own view of itself.
 */
final class SoakChecks {
    static final String ITEM_TOKEN_TAG = "pledge:item-token";
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "REJECTED", "CANCELED",
            "EXPIRED");
    private static final int WINDOW = 16;

    record ItemRow(UUID executionId, int position, String executionToken, String itemToken, String status,
                   String commitmentId, String failureKind, String error) {
        String label() {
            return "execution " + executionId + " item " + position;
        }
    }

    record ExecutionRow(UUID id, String status, String lastError) {
    }

    record Verdict(int executions, int items, int commitments, int doubleBuys, int untracked, int lost, int stuck,
                   int counterMismatches, int auditGaps, int refused, int budgetOverruns, List<String> problems) {
    }

    private final List<String> problems = new ArrayList<>();

    Verdict run(Connection db, Collection<UUID> created, List<EmulatorControl.Commitment> commitments)
            throws SQLException {
        Map<UUID, ExecutionRow> executions = executions(db);
        List<ItemRow> items = items(db);

        // Who owns each commitment: the item that recorded its id, the item whose token it is tagged
        // with, the item whose derived key it carries. Two different answers are a finding.
        Map<String, ItemRow> byToken = new HashMap<>();
        Map<String, ItemRow> byTokenWindow = new HashMap<>();
        Map<String, ItemRow> byUuid = new HashMap<>();
        Map<String, ItemRow> byCommitmentId = new HashMap<>();
        for (ItemRow item : items) {
            byToken.put(item.itemToken(), item);
            byTokenWindow.put(item.itemToken().substring(0, WINDOW), item);
            byUuid.put(new ItemToken(item.itemToken()).uuid().toString(), item);
            if (item.commitmentId() != null) {
                ItemRow other = byCommitmentId.put(lastSegment(item.commitmentId()), item);
                if (other != null) {
                    problems.add("two items recorded the same commitment " + item.commitmentId() + ": "
                            + other.label() + " and " + item.label());
                }
            }
        }

        Map<ItemRow, List<EmulatorControl.Commitment>> owned = new HashMap<>();
        Set<String> heldIds = new HashSet<>();
        int untracked = 0;
        for (EmulatorControl.Commitment c : commitments) {
            Set<ItemRow> owners = new HashSet<>();
            for (String name : names(c)) {
                heldIds.add(name);
                addIfPresent(owners, byCommitmentId.get(name));
            }
            String tagged = c.tags().get(ITEM_TOKEN_TAG);
            if (tagged != null) {
                addIfPresent(owners, byToken.get(tagged));
            }
            if (c.key() != null) {
                addIfPresent(owners, byUuid.get(c.key().toLowerCase(Locale.ROOT)));
                String key = c.key().toLowerCase(Locale.ROOT);
                for (int i = 0; i + WINDOW <= key.length(); i++) {
                    addIfPresent(owners, byTokenWindow.get(key.substring(i, i + WINDOW)));
                }
            }
            if (owners.size() > 1) {
                untracked++;
                problems.add("commitment " + describe(c) + " is claimed by several items: " + owners.stream()
                        .map(ItemRow::label).toList());
                continue;
            }
            if (owners.isEmpty()) {
                untracked++;
                problems.add("commitment " + describe(c) + " belongs to no item Pledge recorded");
                continue;
            }
            ItemRow owner = owners.iterator().next();
            owned.computeIfAbsent(owner, k -> new ArrayList<>()).add(c);
            if (!"BOUGHT".equals(owner.status())) {
                untracked++;
                problems.add("commitment " + describe(c) + " is held for " + owner.label() + ", which is recorded as "
                        + owner.status() + (owner.error() == null ? "" : " (" + owner.error() + ")"));
            }
        }

        int doubleBuys = 0;
        for (Map.Entry<ItemRow, List<EmulatorControl.Commitment>> e : owned.entrySet()) {
            if (e.getValue().size() > 1) {
                doubleBuys++;
                problems.add("DOUBLE BUY: " + e.getKey().label() + " (token " + e.getKey().itemToken().substring(0, 8)
                        + "...) holds " + e.getValue().size() + " commitments: " + e.getValue().stream()
                        .map(SoakChecks::describe).toList() + "; recorded " + e.getKey().commitmentId());
            }
        }

        int lost = 0;
        for (UUID id : created) {
            if (!executions.containsKey(id)) {
                lost++;
                problems.add("execution " + id + " was created but is not in the database");
            }
        }
        Map<UUID, List<ItemRow>> itemsByExecution = new HashMap<>();
        for (ItemRow item : items) {
            itemsByExecution.computeIfAbsent(item.executionId(), k -> new ArrayList<>()).add(item);
            if ("BOUGHT".equals(item.status()) && !heldIds.contains(lastSegment(item.commitmentId()))) {
                lost++;
                problems.add(item.label() + " is recorded as bought (" + item.commitmentId()
                        + ") but the cloud holds no such commitment");
            }
        }
        int stuck = 0;
        int refused = 0;
        for (ExecutionRow e : executions.values()) {
            List<ItemRow> its = itemsByExecution.getOrDefault(e.id(), List.of());
            if (!TERMINAL.contains(e.status())) {
                stuck++;
                problems.add("execution " + e.id() + " is still " + e.status());
                continue;
            }
            if (e.status().equals("SUCCEEDED") && its.stream().anyMatch(i -> !"BOUGHT".equals(i.status()))) {
                lost++;
                problems.add("execution " + e.id() + " SUCCEEDED with an item not bought");
            }
            if (e.status().equals("FAILED") || e.status().equals("PARTIALLY_SUCCEEDED")) {
                boolean reason = !blank(e.lastError()) || its.stream().anyMatch(i -> !blank(i.error()));
                if (!reason) {
                    lost++;
                    problems.add("execution " + e.id() + " is " + e.status() + " without a reason");
                } else {
                    refused++;
                }
            }
        }

        int counterMismatches = counters(db);
        int auditGaps = audit(db, executions);
        int budgetOverruns = budgets(db);
        return new Verdict(executions.size(), items.size(), commitments.size(), doubleBuys, untracked, lost, stuck,
                counterMismatches, auditGaps, refused, budgetOverruns, List.copyOf(problems));
    }

    /**
     * Issue 16: no budget is overrun. A finding each: a budget key whose spent plus reserved is above its limit;
     * one whose counters differ from the reservations they count (recomputed from budget_reservations); an
     * item held by the cloud (bought or confirming) in a budgeted account and currency whose reservation is not
     * spent (bought without passing the budget). Databases without the budget tables (older schemas) have none.
     */
    int budgets(Connection db) throws SQLException {
        int overruns = 0;
        try (Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('budgets') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT b.scope, b.currency, u.month, b.monthly_limit, u.spent, u.reserved
                    FROM budgets b JOIN budget_usage u ON u.scope = b.scope AND u.currency = b.currency
                    WHERE u.spent + u.reserved > b.monthly_limit""")) {
                while (rs.next()) {
                    overruns++;
                    problems.add("BUDGET OVERRUN: " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)
                            + ": limit " + rs.getBigDecimal(4) + ", spent " + rs.getBigDecimal(5) + ", reserved "
                            + rs.getBigDecimal(6));
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT u.scope, u.currency, u.month, u.spent, u.reserved,
                           coalesce(sum(r.amount) FILTER (WHERE r.state = 'SPENT'), 0) AS spent_rows,
                           coalesce(sum(r.amount) FILTER (WHERE r.state = 'RESERVED'), 0) AS reserved_rows
                    FROM budget_usage u LEFT JOIN budget_reservations r
                         ON r.scope = u.scope AND r.currency = u.currency AND r.month = u.month
                    GROUP BY u.scope, u.currency, u.month, u.spent, u.reserved
                    HAVING u.spent <> coalesce(sum(r.amount) FILTER (WHERE r.state = 'SPENT'), 0)
                        OR u.reserved <> coalesce(sum(r.amount) FILTER (WHERE r.state = 'RESERVED'), 0)""")) {
                while (rs.next()) {
                    overruns++;
                    problems.add("budget counters of " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)
                            + " say spent " + rs.getBigDecimal(4) + ", reserved " + rs.getBigDecimal(5)
                            + "; the reservations say " + rs.getBigDecimal(6) + ", " + rs.getBigDecimal(7));
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT i.execution_id, i.position, b.scope, b.currency
                    FROM items i JOIN item_quotes q ON q.execution_id = i.execution_id AND q.position = i.position
                    JOIN budgets b ON (b.scope = i.account_id::text OR b.scope = 'org') AND b.currency = q.currency
                    WHERE i.status IN ('BOUGHT', 'CONFIRMING')
                      AND NOT EXISTS (SELECT 1 FROM budget_reservations r WHERE r.execution_id = i.execution_id
                                      AND r.position = i.position AND r.scope = b.scope AND r.state = 'SPENT')""")) {
                while (rs.next()) {
                    overruns++;
                    problems.add("execution " + rs.getObject(1) + " item " + rs.getInt(2) + " is held by the cloud"
                            + " without a spent reservation of budget " + rs.getString(3) + " " + rs.getString(4));
                }
            }
        }
        return overruns;
    }

    /**
     * The names a commitment is known by: the cloud's id and our key, each also as the last segment
     * of a resource path, since an executor may record {@code projects/p/regions/r/commitments/<name>}
     * or an ARM id where the emulator lists the bare id.
     */
    static Set<String> names(EmulatorControl.Commitment c) {
        Set<String> names = new HashSet<>();
        for (String n : new String[] {c.id(), c.key()}) {
            if (n != null && !n.isBlank()) {
                names.add(lastSegment(n));
            }
        }
        return names;
    }

    static String lastSegment(String id) {
        if (id == null) {
            return null;
        }
        String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static void addIfPresent(Set<ItemRow> owners, ItemRow item) {
        if (item != null) {
            owners.add(item);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String describe(EmulatorControl.Commitment c) {
        return c.cloud() + "/" + c.type() + " " + c.id() + " key=" + c.key() + " account=" + c.account() + " region="
                + c.region() + " offering=" + c.offering() + " x" + c.quantity();
    }

    private static Map<UUID, ExecutionRow> executions(Connection db) throws SQLException {
        Map<UUID, ExecutionRow> out = new HashMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT id, status, last_error FROM executions");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                out.put(id, new ExecutionRow(id, rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    private static List<ItemRow> items(Connection db) throws SQLException {
        List<ItemRow> out = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT i.execution_id, i.position, e.execution_token, i.status, "
                + "i.commitment_id, i.failure_kind, i.error FROM items i JOIN executions e ON e.id = i.execution_id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String token = rs.getString(3);
                int position = rs.getInt(2);
                out.add(new ItemRow(rs.getObject(1, UUID.class), position, token,
                        new ExecutionToken(token).item(position).hex(), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
            }
        }
        return out;
    }

    /** The counters the dashboard reads must equal COUNT(*) per status. */
    private int counters(Connection db) throws SQLException {
        Map<String, Long> counted = new HashMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT status, count(*) FROM executions GROUP BY status");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counted.put(rs.getString(1), rs.getLong(2));
            }
        }
        int mismatches = 0;
        Set<String> seen = new HashSet<>();
        try (PreparedStatement s = db.prepareStatement("SELECT status, executions FROM execution_status_counts");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String status = rs.getString(1);
                seen.add(status);
                long counter = rs.getLong(2);
                long real = counted.getOrDefault(status, 0L);
                if (counter != real) {
                    mismatches++;
                    problems.add("counter for " + status + " says " + counter + ", COUNT(*) says " + real);
                }
            }
        }
        for (String status : counted.keySet()) {
            if (!seen.contains(status)) {
                mismatches++;
                problems.add("no counter row for status " + status);
            }
        }
        return mismatches;
    }

    /**
     * Every status change has its audit event: the execution-level events, in order, must form an
     * unbroken chain from creation (nothing -> PENDING_APPROVAL) to the status the row has now.
     */
    private int audit(Connection db, Map<UUID, ExecutionRow> executions) throws SQLException {
        Map<UUID, List<String[]>> chains = new HashMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT execution_id, from_status, to_status, action "
                + "FROM audit_events WHERE execution_id IS NOT NULL AND item_position IS NULL AND to_status IS NOT NULL "
                + "ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                chains.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                        .add(new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        int gaps = 0;
        for (ExecutionRow e : executions.values()) {
            List<String[]> chain = chains.getOrDefault(e.id(), List.of());
            String at = null;
            String broken = null;
            for (String[] event : chain) {
                if (!Objects.equals(event[0], at)) {
                    broken = "event " + event[2] + " moves from " + event[0] + " but the previous event left it "
                            + at;
                    break;
                }
                at = event[1];
            }
            if (broken == null && !Objects.equals(at, e.status())) {
                broken = "the last audited status is " + at + " but the execution is " + e.status();
            }
            if (broken != null) {
                gaps++;
                if (gaps <= 20) {
                    problems.add("audit trail of execution " + e.id() + " has a gap: " + broken);
                }
            }
        }
        return gaps;
    }
}
