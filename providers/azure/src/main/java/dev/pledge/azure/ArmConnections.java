package dev.pledge.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link ArmClient} per account (billing scope), built once and reused. Against the emulator
 * the pipeline carries a fixed bearer token; against Azure, the account's azure-identity
 * credential. The JDK HTTP client is the transport (azure-core-http-netty stays off the class path).
 */
final class ArmConnections {
    static final URI AZURE_RESOURCE_MANAGER = URI.create("https://management.azure.com");
    private static final String SCOPE = "https://management.azure.com/.default";

    private final ProviderSettings settings;
    private final HttpClient httpClient;
    private final Map<String, ArmClient> byAccount = new ConcurrentHashMap<>();

    ArmConnections(ProviderSettings settings) {
        this.settings = settings;
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1);
        this.httpClient = new JdkHttpClientBuilder(jdk)
                .connectionTimeout(settings.callTimeout())
                .responseTimeout(settings.callTimeout())
                .readTimeout(settings.callTimeout())
                .build();
    }

    ArmClient forAccount(String account) {
        return byAccount.computeIfAbsent(account, this::connect);
    }

    /** Drops the connection (and its token) of an account whose credentials were replaced. */
    void forget(String account) {
        byAccount.remove(account);
    }

    int cachedAccounts() {
        return byAccount.size();
    }

    private ArmClient connect(String account) {
        HttpPipelinePolicy auth = settings.usesEmulator()
                ? new EmulatorBearerPolicy()
                : new BearerTokenAuthenticationPolicy(AzureTokenCredentials.forAccount(
                        settings.credentials().forAccount(Cloud.AZURE, account), httpClient), SCOPE);
        HttpPipeline pipeline = new HttpPipelineBuilder()
                .httpClient(httpClient)
                .policies(new UserAgentPolicy("pledge"), new RequestIdPolicy(), auth)
                .build();
        URI base = settings.usesEmulator() ? settings.endpoint() : AZURE_RESOURCE_MANAGER;
        Duration retryDelay = settings.pollInterval().compareTo(Duration.ofSeconds(1)) < 0
                ? settings.pollInterval() : Duration.ofSeconds(1);
        return new ArmClient(pipeline, base, settings.maxAttempts(), retryDelay);
    }
}
