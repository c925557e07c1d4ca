package dev.pledge.app.account;

import java.util.Map;

/**
 * A change to an account: rename, enable/disable, and/or replace its credentials (all fields at
 * once; an empty map means the provider's default chain). Null leaves a field as it is.
 */
public record AccountUpdate(String name, Boolean enabled, Map<String, String> credentials) {
    public AccountUpdate {
        if (name != null) {
            name = AccountNames.check(name);
        }
        if (credentials != null) {
            credentials = NewAccount.checkCredentials(credentials);
        }
    }

    public AccountUpdate(String name, Boolean enabled) {
        this(name, enabled, null);
    }

    @Override
    public String toString() {
        return "AccountUpdate[name=" + name + ", enabled=" + enabled + ", credentials="
                + (credentials == null ? "unchanged" : "fields " + new java.util.TreeSet<>(credentials.keySet())) + "]";
    }
}
