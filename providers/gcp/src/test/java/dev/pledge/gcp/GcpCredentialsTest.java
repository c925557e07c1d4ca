package dev.pledge.gcp;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;
import dev.pledge.common.spi.ProviderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which Google credentials a project's properties choose (built only; no token is fetched). */
class GcpCredentialsTest {
    @TempDir
    Path dir;

    private Path serviceAccountKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        Path key = dir.resolve("key.json");
        Files.writeString(key, """
                {"type":"service_account","project_id":"pledge-demo-project","private_key_id":"k1",
                 "private_key":"%s","client_email":"buyer@pledge-demo-project.iam.gserviceaccount.com",
                 "client_id":"1","token_uri":"https://oauth2.googleapis.com/token"}""".formatted(pem));
        return key;
    }

    @Test
    void a_service_account_key_file_gives_that_service_account() throws Exception {
        var provider = GcpCredentials.forAccount(new AccountCredentials(Map.of("serviceAccountKeyFile",
                serviceAccountKey().toString())));

        assertThat(provider).isInstanceOf(FixedCredentialsProvider.class);
        assertThat(provider.getCredentials()).isInstanceOfSatisfying(ServiceAccountCredentials.class,
                c -> assertThat(c.getClientEmail()).isEqualTo("buyer@pledge-demo-project.iam.gserviceaccount.com"));
    }

    @Test
    void impersonate_starts_from_the_key_file_and_targets_the_service_account() throws Exception {
        var provider = GcpCredentials.forAccount(new AccountCredentials(Map.of("serviceAccountKeyFile",
                serviceAccountKey().toString(), "impersonate", "pledge-buyer@other-project.iam.gserviceaccount.com")));

        assertThat(provider.getCredentials()).isInstanceOfSatisfying(ImpersonatedCredentials.class,
                c -> assertThat(c.getAccount()).isEqualTo("pledge-buyer@other-project.iam.gserviceaccount.com"));
    }

    @Test
    void an_unreadable_key_file_is_refused_naming_the_property() {
        assertThatThrownBy(() -> GcpCredentials.forAccount(new AccountCredentials(Map.of("serviceAccountKeyFile",
                dir.resolve("missing.json").toString()))))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("credentials.serviceAccountKeyFile"));
    }

    @Test
    void a_missing_file_and_an_unreadable_one_get_the_same_answer_without_the_path() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        String missing = message(dir.resolve("missing.json"));
        String directory = message(dir);
        String wrongContent = message(notAKey);

        assertThat(missing).isEqualTo(directory).isEqualTo(wrongContent).doesNotContain(dir.toString());
    }

    private static String message(Path keyFile) {
        try {
            GcpCredentials.forAccount(new AccountCredentials(Map.of("serviceAccountKeyFile", keyFile.toString())));
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + keyFile);
    }

    @Test
    void unknown_credential_properties_are_refused() {
        assertThatThrownBy(() -> GcpCredentials.forAccount(new AccountCredentials(Map.of("apiKey", "abcdefghijkl"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("credentials"))
                .hasMessageNotContaining("abcdefghijkl");
    }

    @Test
    void the_emulator_takes_no_credentials_and_its_url_as_endpoint() throws Exception {
        var settings = new RegionCommitmentsClients(ProviderSettings.emulator(URI.create("http://127.0.0.1:4566")))
                .clientSettings("pledge-demo-project");

        assertThat(settings.getCredentialsProvider()).isInstanceOf(NoCredentialsProvider.class);
        assertThat(settings.getEndpoint()).isEqualTo("http://127.0.0.1:4566");
    }
}
