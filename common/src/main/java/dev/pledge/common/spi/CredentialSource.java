package dev.pledge.common.spi;

import dev.pledge.common.model.Cloud;

/** Finds the credentials for an account; the app reads them from its database, the CLI from flags. */
@FunctionalInterface
public interface CredentialSource {
    /** Never null: {@link AccountCredentials#DEFAULT_CHAIN} when nothing specific is configured. */
    AccountCredentials forAccount(Cloud cloud, String account);

    CredentialSource DEFAULT_CHAIN = (cloud, account) -> AccountCredentials.DEFAULT_CHAIN;
}
