package dev.pledge.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.compute.v1.RegionCommitmentsClient;
import com.google.cloud.compute.v1.RegionCommitmentsSettings;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RegionCommitmentsClient} per project (each project may act under its own
 * credentials), built once and reused. Reads are retried up to {@code maxAttempts} on
 * UNAVAILABLE and DEADLINE_EXCEEDED; the insert is sent once; the insert's operation is polled
 * every {@code pollInterval} until {@code pollTimeout}.
 */
final class RegionCommitmentsClients implements AutoCloseable {
    private final ProviderSettings settings;
    private final Map<String, RegionCommitmentsClient> byProject = new ConcurrentHashMap<>();
    private final boolean shareDefaultIdentity;

    RegionCommitmentsClients(ProviderSettings settings) {
        this(settings, false);
    }

    /**
     * {@code shareDefaultIdentity}: projects that act under the same identity (the emulator's, or Application
     * Default Credentials) share one client, as the read side does: a client per project cost more to build
     * than its calls on a first refresh. The purchase side keeps one per project.
     */
    RegionCommitmentsClients(ProviderSettings settings, boolean shareDefaultIdentity) {
        this.settings = settings;
        this.shareDefaultIdentity = shareDefaultIdentity;
    }

    /** Throws {@link IOException} wrapped as {@link java.io.UncheckedIOException} when the credentials cannot be loaded. */
    RegionCommitmentsClient forProject(String project) {
        String key = shareDefaultIdentity && GcpCredentials.defaultIdentity(settings, project) ? "" : project;
        return byProject.computeIfAbsent(key, k -> {
            String p = project;
            try {
                return RegionCommitmentsClient.create(clientSettings(p));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not create the Compute client for project " + p
                        + " (its credentials could not be loaded)", e);
            }
        });
    }

    /** Drops and closes the client of a project whose credentials were replaced. */
    void forget(String project) {
        RegionCommitmentsClient c = byProject.remove(project);
        if (c != null) {
            c.close();
        }
    }

    int cachedProjects() {
        return byProject.size();
    }

    RegionCommitmentsSettings clientSettings(String project) throws IOException {
        CredentialsProvider credentials = settings.usesEmulator() ? GcpCredentials.emulator()
                : GcpCredentials.forAccount(settings.credentials().forAccount(Cloud.GCP, project));
        RegionCommitmentsSettings.Builder b = RegionCommitmentsSettings.newBuilder().setCredentialsProvider(credentials);
        if (settings.usesEmulator()) {
            b.setEndpoint(settings.endpoint().toString());
        }
        Duration call = settings.callTimeout();
        RetrySettings reads = RetrySettings.newBuilder()
                .setMaxAttempts(settings.maxAttempts())
                .setInitialRetryDelayDuration(Duration.ofMillis(100)).setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                .setInitialRpcTimeoutDuration(call).setRpcTimeoutMultiplier(1.0).setMaxRpcTimeoutDuration(call)
                .setTotalTimeoutDuration(call.multipliedBy(settings.maxAttempts()).plusSeconds(5))
                .build();
        b.getSettings().setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED)
                .setRetrySettings(reads);
        b.listSettings().setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED)
                .setRetrySettings(reads);
        b.insertSettings().setRetryableCodes().setSimpleTimeoutNoRetriesDuration(call);
        b.insertOperationSettings().setPollingAlgorithm(OperationTimedPollAlgorithm.create(RetrySettings.newBuilder()
                .setInitialRetryDelayDuration(settings.pollInterval())
                .setRetryDelayMultiplier(1.0)
                .setMaxRetryDelayDuration(settings.pollInterval())
                .setInitialRpcTimeoutDuration(call).setRpcTimeoutMultiplier(1.0).setMaxRpcTimeoutDuration(call)
                .setTotalTimeoutDuration(settings.pollTimeout())
                .build()));
        return b.build();
    }

    @Override
    public void close() {
        byProject.values().forEach(RegionCommitmentsClient::close);
        byProject.clear();
    }
}
