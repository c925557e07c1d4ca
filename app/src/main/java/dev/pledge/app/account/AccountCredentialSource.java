package dev.pledge.app.account;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.AccountCredentials;
import dev.pledge.common.spi.CredentialSource;
import org.springframework.stereotype.Component;

/** Executors find an account's credentials in the accounts table; an unknown account uses the default chain. */
@Component
public class AccountCredentialSource implements CredentialSource {
    private final AccountService accounts;

    public AccountCredentialSource(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public AccountCredentials forAccount(Cloud cloud, String account) {
        return accounts.findByExternalId(cloud, account).map(Account::credentials)
                .orElse(AccountCredentials.DEFAULT_CHAIN);
    }
}
