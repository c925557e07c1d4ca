package dev.pledge.app.account;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.AccountCredentials;
import dev.pledge.common.spi.CredentialSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Executors find an account's credentials in the accounts table; an unknown account uses the default
 * chain. Executors ask on every purchase (to check the settings before any cloud call), so a found
 * account is remembered for {@link #TTL}: credentials are fixed when an account is registered (the
 * API cannot change them), and the clients built from them live as long as the executor anyway. An
 * account not found is never remembered, so one registered a moment later is seen at once.
 */
@Component
public class AccountCredentialSource implements CredentialSource {
    static final Duration TTL = Duration.ofSeconds(30);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(AccountCredentials credentials, long expiresAtNanos) {
    }

    private record Key(Cloud cloud, String account) {
    }

    private final AccountService accounts;
    private final Duration ttl;
    private final LongSupplier nanoTime;
    private final Map<Key, Entry> found = new ConcurrentHashMap<>();

    @Autowired
    public AccountCredentialSource(AccountService accounts) {
        this(accounts, TTL, System::nanoTime);
    }

    AccountCredentialSource(AccountService accounts, Duration ttl, LongSupplier nanoTime) {
        this.accounts = accounts;
        this.ttl = ttl;
        this.nanoTime = nanoTime;
    }

    @Override
    public AccountCredentials forAccount(Cloud cloud, String account) {
        Key key = new Key(cloud, account);
        long now = nanoTime.getAsLong();
        Entry e = found.get(key);
        if (e != null && now - e.expiresAtNanos() < 0) {
            return e.credentials();
        }
        return accounts.findByExternalId(cloud, account).map(a -> {
            if (found.size() >= MAX_ENTRIES) {
                found.clear();
            }
            found.put(key, new Entry(a.credentials(), now + ttl.toNanos()));
            return a.credentials();
        }).orElseGet(() -> {
            found.remove(key);
            return AccountCredentials.DEFAULT_CHAIN;
        });
    }
}
