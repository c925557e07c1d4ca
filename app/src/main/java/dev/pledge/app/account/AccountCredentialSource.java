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
 * Executors find an account's credentials in the accounts table (opened from their sealed form);
 * an unknown account uses the default chain. Executors ask on every purchase, so a found account is
 * remembered for {@link #TTL}; {@link #forget} drops it at once when its credentials are replaced.
 * An account not found is never remembered, so one registered a moment later is seen at once.
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
        return accounts.credentials(cloud, account).map(c -> {
            if (found.size() >= MAX_ENTRIES) {
                found.clear();
            }
            found.put(key, new Entry(c, now + ttl.toNanos()));
            return c;
        }).orElseGet(() -> {
            found.remove(key);
            return AccountCredentials.DEFAULT_CHAIN;
        });
    }

    /** Drops what is remembered of an account (its credentials were replaced). */
    public void forget(Cloud cloud, String account) {
        found.remove(new Key(cloud, account));
    }
}
