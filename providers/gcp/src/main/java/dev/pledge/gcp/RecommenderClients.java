package dev.pledge.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.recommender.v1.RecommenderClient;
import com.google.cloud.recommender.v1.RecommenderSettings;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Recommender client per project (or per identity, see {@link #forProject}) over the HttpJson transport, built once and reused. Lists are retried on
 * UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED (throttling) with a doubling pause; the mark calls are
 * sent once (their etag makes a repeat fail rather than act twice).
 */
final class RecommenderClients implements AutoCloseable {
    private final ProviderSettings settings;
    private final Map<String, RecommenderClient> byProject = new ConcurrentHashMap<>();

    RecommenderClients(ProviderSettings settings) {
        this.settings = settings;
    }

    /**
     * Projects under the same identity (the emulator's, or Application Default Credentials) share one client: a
     * client per project cost more to build than its calls on a first refresh.
     */
    RecommenderClient forProject(String project) {
        String key = GcpCredentials.defaultIdentity(settings, project) ? "" : project;
        return byProject.computeIfAbsent(key, k -> {
            String p = project;
            try {
                return RecommenderClient.create(clientSettings(p));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not create the Recommender client for project " + p
                        + ": " + e.getMessage(), e);
            }
        });
    }

    RecommenderSettings clientSettings(String project) throws IOException {
        CredentialsProvider credentials = settings.usesEmulator() ? GcpCredentials.emulator()
                : GcpCredentials.forAccount(settings.credentials().forAccount(Cloud.GCP, project));
        RecommenderSettings.Builder b = RecommenderSettings.newHttpJsonBuilder().setCredentialsProvider(credentials);
        if (settings.usesEmulator()) {
            b.setEndpoint(settings.endpoint().toString());
        }
        Duration call = settings.callTimeout();
        RetrySettings reads = RetrySettings.newBuilder()
                .setMaxAttempts(settings.maxAttempts())
                .setInitialRetryDelayDuration(Duration.ofMillis(200)).setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(Duration.ofSeconds(5))
                .setInitialRpcTimeoutDuration(call).setRpcTimeoutMultiplier(1.0).setMaxRpcTimeoutDuration(call)
                .setTotalTimeoutDuration(call.multipliedBy(settings.maxAttempts()).plusSeconds(10))
                .build();
        b.listRecommendationsSettings().setRetryableCodes(StatusCode.Code.UNAVAILABLE,
                StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.RESOURCE_EXHAUSTED).setRetrySettings(reads);
        b.markRecommendationClaimedSettings().setRetryableCodes().setSimpleTimeoutNoRetriesDuration(call);
        b.markRecommendationSucceededSettings().setRetryableCodes().setSimpleTimeoutNoRetriesDuration(call);
        return b.build();
    }

    @Override
    public void close() {
        byProject.values().forEach(RecommenderClient::close);
        byProject.clear();
    }
}
