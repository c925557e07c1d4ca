package dev.pledge.soak;

import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The executions a soak run asks for, drawn from the seed: 1-5 items each, spread over all ten
 * commitment types and several accounts per cloud. Execution {@code n} is the same for the same
 * seed, so a run can be repeated.
 */
final class Workload {
    static final String REQUESTER = "soak-requester";
    static final int ACCOUNTS_PER_CLOUD = 4;

    private final long seed;
    private final Map<Cloud, List<UUID>> accounts;
    /** Share of items after the first that repeat the item before them exactly (siblings in one purchase). */
    static final double SIBLING_SHARE = 0.25;
    private final ItemCatalog catalog;
    private final List<CommitmentType> types;

    Workload(long seed, Map<Cloud, List<UUID>> accounts, ItemCatalog catalog, List<CommitmentType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("no commitment type to buy");
        }
        this.seed = seed;
        this.accounts = accounts;
        this.catalog = catalog;
        this.types = List.copyOf(types);
    }

    NewExecution execution(int n) {
        Random random = new Random(seed * 1_000_003L + n);
        int count = 1 + random.nextInt(5);
        List<NewItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i > 0 && random.nextDouble() < SIBLING_SHARE) {
                // a sibling: the same type, account, offering and count as the item before it (issue 14, defect 2);
                // EC2 and Redshift siblings whose purchases all went unanswered are assigned among themselves
                items.add(items.get(i - 1));
                continue;
            }
            // every type appears early and evenly, then at random
            CommitmentType type = n < types.size() && i == 0 ? types.get(n) : types.get(random.nextInt(types.size()));
            List<UUID> candidates = accounts.get(type.cloud());
            UUID account = candidates.get(random.nextInt(candidates.size()));
            items.add(catalog.item(type, account, random));
        }
        return new NewExecution(REQUESTER, "soak seed " + seed + " execution " + n, null, items, key(n),
                "soak-" + seed + "-" + n + "-" + count);
    }

    /** The Idempotency-Key of execution {@code n}: a create retried after a lost answer returns the same row. */
    String key(int n) {
        return "soak-" + seed + "-" + n;
    }
}
