package dev.pledge.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;

/**
 * Chooses the azure-identity credential for an account from its {@link AccountCredentials}:
 * <ul>
 *   <li>empty: the default chain ({@code DefaultAzureCredential});</li>
 *   <li>{@code tenantId}, {@code clientId}, {@code clientSecret}: a service principal secret;</li>
 *   <li>{@code tenantId}, {@code clientId}, {@code federatedTokenFile}: workload identity;</li>
 *   <li>{@code managedIdentity=true}, optionally {@code clientId}: a managed identity.</li>
 * </ul>
 */
final class AzureTokenCredentials {
    private AzureTokenCredentials() {
    }

    static TokenCredential forAccount(AccountCredentials credentials, HttpClient httpClient) {
        if (credentials.isDefaultChain()) {
            return new DefaultAzureCredentialBuilder().httpClient(httpClient).build();
        }
        if ("true".equalsIgnoreCase(credentials.get("managedIdentity"))) {
            ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder().httpClient(httpClient);
            if (credentials.get("clientId") != null) {
                b.clientId(credentials.get("clientId"));
            }
            return b.build();
        }
        if (credentials.get("clientSecret") != null) {
            return new ClientSecretCredentialBuilder()
                    .tenantId(required(credentials, "tenantId", "a client secret"))
                    .clientId(required(credentials, "clientId", "a client secret"))
                    .clientSecret(credentials.get("clientSecret"))
                    .httpClient(httpClient)
                    .build();
        }
        if (credentials.get("federatedTokenFile") != null) {
            return new WorkloadIdentityCredentialBuilder()
                    .tenantId(required(credentials, "tenantId", "workload identity"))
                    .clientId(required(credentials, "clientId", "workload identity"))
                    .tokenFilePath(credentials.get("federatedTokenFile"))
                    .httpClient(httpClient)
                    .build();
        }
        throw new ValidationException("credentials", "Azure credentials need clientSecret (with tenantId and clientId), "
                + "federatedTokenFile (with tenantId and clientId) or managedIdentity=true; got keys "
                + credentials.properties().keySet());
    }

    private static String required(AccountCredentials credentials, String key, String what) {
        String v = credentials.get(key);
        if (v == null || v.isBlank()) {
            throw new ValidationException("credentials." + key, "is required for " + what);
        }
        return v;
    }
}
