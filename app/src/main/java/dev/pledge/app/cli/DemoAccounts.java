package dev.pledge.app.cli;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo accounts {@code pledge serve} registers when it runs the emulator: one per cloud,
 * kept across restarts (registered once, found afterwards).
 */
final class DemoAccounts {
    static final String AWS = "111122223333";
    static final String AZURE = "00000000-0000-4000-8000-000000000001";
    static final String GCP = "pledge-demo-project";

    private DemoAccounts() {
    }

    static List<Account> ensure(AccountService accounts) {
        List<Account> all = new ArrayList<>();
        all.add(ensure(accounts, Cloud.AWS, AWS, "Demo AWS account"));
        all.add(ensure(accounts, Cloud.AZURE, AZURE, "Demo Azure subscription"));
        all.add(ensure(accounts, Cloud.GCP, GCP, "Demo GCP project"));
        return all;
    }

    private static Account ensure(AccountService accounts, Cloud cloud, String externalId, String name) {
        return accounts.findByExternalId(cloud, externalId).orElseGet(() -> {
            try {
                return accounts.create(new NewAccount(cloud, externalId, name, Map.of()));
            } catch (ValidationException raced) {
                return accounts.findByExternalId(cloud, externalId).orElseThrow(() -> raced);
            }
        });
    }
}
