package dev.pledge.azure;

import com.azure.core.http.HttpClient;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.DefaultAzureCredential;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.WorkloadIdentityCredential;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which azure-identity credential an account's properties choose (built only; no token is fetched). */
class AzureTokenCredentialsTest {
    private final HttpClient http = HttpClient.createDefault();

    @Test
    void no_properties_choose_the_default_chain() {
        assertThat(AzureTokenCredentials.forAccount(AccountCredentials.DEFAULT_CHAIN, http))
                .isInstanceOf(DefaultAzureCredential.class);
    }

    @Test
    void a_client_secret_with_tenant_and_client_chooses_a_service_principal() {
        assertThat(AzureTokenCredentials.forAccount(new AccountCredentials(Map.of("tenantId",
                "22222222-2222-3333-4444-555555555555", "clientId", "33333333-2222-3333-4444-555555555555",
                "clientSecret", "s3cr3t-value-1234")), http)).isInstanceOf(ClientSecretCredential.class);
    }

    @Test
    void a_federated_token_file_chooses_workload_identity() {
        assertThat(AzureTokenCredentials.forAccount(new AccountCredentials(Map.of("tenantId",
                "22222222-2222-3333-4444-555555555555", "clientId", "33333333-2222-3333-4444-555555555555",
                "federatedTokenFile", "/var/run/secrets/azure/tokens/azure-identity-token")), http))
                .isInstanceOf(WorkloadIdentityCredential.class);
    }

    @Test
    void managed_identity_true_chooses_a_managed_identity() {
        assertThat(AzureTokenCredentials.forAccount(new AccountCredentials(Map.of("managedIdentity", "true")), http))
                .isInstanceOf(ManagedIdentityCredential.class);
    }

    @Test
    void a_client_secret_without_tenant_is_refused_naming_the_missing_property_and_not_the_secret() {
        assertThatThrownBy(() -> AzureTokenCredentials.forAccount(new AccountCredentials(Map.of(
                "clientId", "33333333-2222-3333-4444-555555555555", "clientSecret", "s3cr3t-value-1234")), http))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("credentials.tenantId"))
                .hasMessageNotContaining("s3cr3t");
    }
}
