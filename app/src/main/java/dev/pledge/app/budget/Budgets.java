package dev.pledge.app.budget;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.audit.AuditEntry;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.app.execution.ExecutionHooks;
import dev.pledge.common.model.ValidationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Monthly budgets per account and for the organisation, enforced at approval. What counts: each item's
 * total commitment over its term at its approved ceiling (quote plus tolerance), in the month it was
 * approved. Approval reserves it in the approval's transaction, all keys in one fixed order, each with a
 * single conditional update, so concurrent approvals can never together pass a limit. The executor's price
 * ceiling keeps the purchase within the reservation; the database moves the reservation to spent when the
 * item is bought and gives it back when the item fails with nothing bought or the purchase is rejected,
 * canceled or expires. An item with an unknown price cannot be approved where a budget applies.
 */
@Service
@org.springframework.core.annotation.Order(2)
public class Budgets implements ExecutionHooks {
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final BigDecimal MAX_LIMIT = new BigDecimal("1000000000000");

    private final BudgetStore store;
    private final AccountService accounts;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final TransactionTemplate nested;

    public Budgets(BudgetStore store, AccountService accounts, AuditTrail audit, TransactionTemplate tx) {
        this.store = store;
        this.accounts = accounts;
        this.audit = audit;
        this.tx = tx;
        // a savepoint inside the re-drive's transaction: a refused reservation undoes only its own counters
        this.nested = new TransactionTemplate(tx.getTransactionManager());
        this.nested.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public void approving(UUID executionId) {
        reserve(executionId);
    }

    /**
     * A re-drive reserves again what its items need. When the budget has no room for them but an item's earlier
     * attempt may have bought, the re-drive still goes ahead for that item (its guard finds out what the cloud
     * holds; it never buys beyond its own reservation, which it kept), and the items that need room are held
     * back, FAILED with nothing bought, until a later re-drive finds the room: a budget must not leave a
     * purchase that may have happened unsettled. Otherwise the whole re-drive is refused.
     */
    @Override
    public void redriving(UUID executionId) {
        List<Integer> unsettled = store.unsettled(executionId);
        if (unsettled.isEmpty()) {
            reserve(executionId);
            return;
        }
        try {
            nested.executeWithoutResult(s -> reserve(executionId));
        } catch (BudgetExceededException e) {
            List<Integer> needing = store.needs(executionId).stream().map(BudgetStore.Need::position).distinct()
                    .filter(p -> !unsettled.contains(p)).toList();
            List<Integer> held = store.holdBack(executionId, needing, "not tried again by this re-drive: "
                    + e.getMessage() + "; nothing was bought; re-drive again when the budget has room");
            audit.append(new AuditEntry("system:budget", "BUDGET_HOLD_BACK", executionId, null, null, null, null,
                    "items " + held + " held back, items " + unsettled + " re-driven to settle an earlier attempt"
                            + " that may have bought: " + e.getMessage()));
            if (!store.needs(executionId).isEmpty()) { // the unsettled items need room themselves
                throw e;
            }
        }
    }

    /** Reserves what the execution's items need of every budget that applies, or refuses the whole change. */
    void reserve(UUID execution) {
        List<BudgetStore.Need> needs = store.needs(execution);
        Map<String, BigDecimal> perKey = new TreeMap<>();
        Map<String, BigDecimal> limits = new TreeMap<>();
        for (BudgetStore.Need n : needs) {
            if (n.amount() == null) {
                throw new BudgetExceededException(label(n.scope()), n.currency(), n.limit(), null, null, null,
                        "item " + n.position() + " has no known price and the " + label(n.scope()) + " budget ("
                                + n.currency() + ") applies to it: a purchase whose cost is unknown cannot be"
                                + " checked against a budget; buy it where no budget applies or lift the budget");
            }
            String key = n.scope() + "\u0000" + n.currency();
            perKey.merge(key, n.amount(), BigDecimal::add);
            limits.put(key, n.limit());
        }
        // TreeMap: keys in (scope, currency) order, the order every writer locks them in
        for (Map.Entry<String, BigDecimal> e : perKey.entrySet()) {
            String[] k = e.getKey().split("\u0000");
            BigDecimal limit = limits.get(e.getKey());
            store.reserve(k[0], k[1], e.getValue(), limit).ifPresent(u -> {
                throw new BudgetExceededException(label(k[0]), k[1], limit, u.spent(), u.reserved(), e.getValue(),
                        "the " + label(k[0]) + " budget of " + k[1] + " " + plain(limit) + " for " + u.month()
                                .toString().substring(0, 7) + " has " + plain(u.spent()) + " spent and "
                                + plain(u.reserved()) + " reserved; this purchase asks " + plain(e.getValue())
                                + ", " + plain(u.remaining().max(BigDecimal.ZERO)) + " remain");
            });
        }
        for (BudgetStore.Need n : needs) {
            store.recordReservation(execution, n.position(), n.scope(), n.currency(), n.amount());
        }
    }

    /** Sets an account's limits (null account = the organisation's); the map replaces every earlier limit. */
    public List<BudgetStore.Usage> set(UUID account, Map<String, BigDecimal> limits, String actor) {
        if (account != null && accounts.find(account).isEmpty()) {
            throw new ValidationException("id", "no account with id " + account);
        }
        Map<String, BigDecimal> checked = check(limits);
        String scope = scope(account);
        tx.executeWithoutResult(s -> {
            store.replace(scope, checked, actor);
            audit.append(new AuditEntry(actor, "BUDGET_SET", null, null, null, null, null,
                    label(scope) + " monthly limits " + checked));
        });
        return store.usage(scope);
    }

    public List<BudgetStore.Usage> get(UUID account) {
        if (account != null && accounts.find(account).isEmpty()) {
            throw new ValidationException("id", "no account with id " + account);
        }
        return store.usage(scope(account));
    }

    static Map<String, BigDecimal> check(Map<String, BigDecimal> limits) {
        if (limits == null) {
            throw new ValidationException("limits", "is required: an object of currency code to monthly limit,"
                    + " e.g. {\"USD\": 50000}; {} removes every limit");
        }
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Map.Entry<String, BigDecimal> e : limits.entrySet()) {
            if (e.getKey() == null || !CURRENCY.matcher(e.getKey()).matches()) {
                throw new ValidationException("limits", "'" + e.getKey() + "' is not an ISO currency code (three"
                        + " capital letters, e.g. USD)");
            }
            BigDecimal v = e.getValue();
            if (v == null || v.signum() < 0 || v.compareTo(MAX_LIMIT) > 0 || v.scale() > 4) {
                throw new ValidationException("limits." + e.getKey(), "must be a decimal from 0 to 1000000000000"
                        + " with at most 4 decimals, was " + v);
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static String scope(UUID account) {
        return account == null ? BudgetStore.ORG : account.toString();
    }

    static String label(String scope) {
        return BudgetStore.ORG.equals(scope) ? "org" : "account:" + scope;
    }

    private static String plain(BigDecimal v) {
        return v == null ? "?" : v.stripTrailingZeros().toPlainString();
    }

    /** For tests and the soak: budget keys whose spent plus reserved is above their limit. */
    public List<String> overruns() {
        List<String> out = new ArrayList<>();
        store.overruns().forEach((k, v) -> out.add(k + ": limit " + plain(v[0]) + ", used " + plain(v[1])));
        return out;
    }
}
