package dev.pledge.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Chooses the Google credentials for a project from its {@link AccountCredentials}:
 * <ul>
 *   <li>empty: Application Default Credentials;</li>
 *   <li>{@code serviceAccountKeyFile}: a service-account JSON key file;</li>
 *   <li>{@code impersonate}: the service account to impersonate, starting from ADC (or from the key file when both are given).</li>
 * </ul>
 * The emulator takes no credentials at all.
 */
final class GcpCredentials {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    private GcpCredentials() {
    }

    /** Whether a project acts under the process's default identity: the emulator's, or Application Default Credentials. */
    static boolean defaultIdentity(dev.pledge.common.spi.ProviderSettings settings, String project) {
        return settings.usesEmulator() || settings.credentials().forAccount(dev.pledge.common.model.Cloud.GCP, project)
                .isDefaultChain();
    }

    static CredentialsProvider emulator() {
        return NoCredentialsProvider.create();
    }

    static CredentialsProvider forAccount(AccountCredentials credentials) throws IOException {
        String keyFile = credentials.get("serviceAccountKeyFile");
        String impersonate = credentials.get("impersonate");
        if (!credentials.isDefaultChain() && keyFile == null && impersonate == null) {
            throw new ValidationException("credentials", "GCP credentials take serviceAccountKeyFile and/or impersonate; got keys "
                    + credentials.properties().keySet());
        }
        GoogleCredentials source;
        if (keyFile != null) {
            // One answer whatever the reason (missing, unreadable, not a key): item errors are shown to every
            // reader of the API and must not tell which files exist on the server.
            try (InputStream in = Files.newInputStream(Path.of(keyFile))) {
                source = ServiceAccountCredentials.fromStream(in).createScoped(List.of(SCOPE));
            } catch (IOException | RuntimeException e) {
                throw new ValidationException("credentials.serviceAccountKeyFile", "the key file could not be "
                        + "loaded as a service account key");
            }
        } else {
            source = GoogleCredentials.getApplicationDefault().createScoped(List.of(SCOPE));
        }
        if (impersonate != null) {
            if (!impersonate.contains("@")) {
                throw new ValidationException("credentials.impersonate", "must be a service account email, was '"
                        + impersonate + "'");
            }
            source = ImpersonatedCredentials.create(source, impersonate, null, List.of(SCOPE), 3600);
        }
        return FixedCredentialsProvider.create(source);
    }
}
