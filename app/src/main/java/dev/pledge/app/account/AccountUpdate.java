package dev.pledge.app.account;

/** A change to an account: rename and/or enable/disable; null leaves a field as it is. */
public record AccountUpdate(String name, Boolean enabled) {
    public AccountUpdate {
        if (name != null) {
            name = AccountNames.check(name);
        }
    }
}
