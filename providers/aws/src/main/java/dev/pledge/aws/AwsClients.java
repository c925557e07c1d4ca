package dev.pledge.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;
import dev.pledge.common.spi.ProviderSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * SDK clients, one per (service, account, region, retry mode), built once and reused. All share
 * one Apache HTTP client. Retries and timeouts are set in code, never taken from the environment:
 * {@link Attempts#BOUNDED} uses {@link ProviderSettings#maxAttempts()}; {@link Attempts#ONCE} is
 * for purchases without a caller key, which must reach the cloud exactly once per call.
 */
final class AwsClients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AwsClients.class);
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    static final String EMULATOR_SECRET = "pledge-emulator";

    enum Attempts { BOUNDED, ONCE }

    private record ClientKey(AwsService service, String account, String region, Attempts attempts) {
    }

    private final ProviderSettings settings;
    private final SdkHttpClient http;
    private final Map<ClientKey, SdkClient> clients = new ConcurrentHashMap<>();
    private final Map<ClientKey, java.util.concurrent.CompletableFuture<SdkClient>> readClients =
            new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
    private final java.util.List<SdkClient> stsClients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile AwsCredentialsProvider defaultChain;
    private final OfferingCache offerings;

    AwsClients(ProviderSettings settings) {
        this.settings = settings;
        this.offerings = new OfferingCache(settings.offeringCacheTtl(), settings.clock(),
                OfferingCache.DEFAULT_MAX_ENTRIES);
        this.http = ApacheHttpClient.builder()
                .connectionTimeout(settings.callTimeout())
                .socketTimeout(settings.callTimeout())
                .maxConnections(64)
                .build();
    }

    ProviderSettings settings() {
        return settings;
    }

    /** Offering lookups shared by the executors of this provider instance (never guard lookups). */
    OfferingCache offerings() {
        return offerings;
    }

    /**
     * The client of {@code service} for an account and region; built on first use. The account's
     * credential settings are checked once per executor call by {@link AwsExecutor#validate}, which
     * every entry point runs first, not again here on every SDK call (each check is a lookup in the
     * account store).
     */
    <C extends SdkClient> C client(AwsService service, Class<C> type, String account, String region,
                                   Attempts attempts) {
        SdkClient c = clients.computeIfAbsent(new ClientKey(service, account, region, attempts),
                k -> build(service, region, credentialsFor(account), attempts));
        return type.cast(c);
    }

    /**
     * The read side's client of {@code service} in a region, one for every account: each read names its
     * account's credentials with {@link #as(String)} (building 20 clients per account cost more than the calls of
     * a first refresh). Its own credentials refuse to sign, so a read that forgets {@link #as} fails instead of
     * going out under another identity.
     */
    <C extends SdkClient> C readClient(AwsService service, Class<C> type, String region) {
        // one build per key: the first caller builds outside the map's lock, the others wait for its result
        java.util.concurrent.CompletableFuture<SdkClient> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<SdkClient> f = readClients.putIfAbsent(
                new ClientKey(service, SHARED, region, Attempts.BOUNDED), mine);
        if (f == null) {
            f = mine;
            try {
                mine.complete(build(service, region, NO_DEFAULT_IDENTITY, Attempts.BOUNDED));
            } catch (RuntimeException e) {
                readClients.remove(new ClientKey(service, SHARED, region, Attempts.BOUNDED), mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        return type.cast(f.join());
    }

    /** Per-request settings that sign a read with the account's credentials (see {@link #readClient}). */
    AwsRequestOverrideConfiguration as(String account) {
        return AwsRequestOverrideConfiguration.builder().credentialsProvider(credentialsFor(account)).build();
    }

    private static final String SHARED = "*";
    private static final AwsCredentialsProvider NO_DEFAULT_IDENTITY = () -> {
        throw new IllegalStateException("a read on a shared client must name its account's credentials (as(account))");
    };

    /** Drops the clients and the credentials provider built for an account (its credentials were replaced). */
    void forget(String account) {
        credentials.remove(account);
        for (ClientKey k : java.util.List.copyOf(clients.keySet())) {
            if (k.account().equals(account)) {
                SdkClient c = clients.remove(k);
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** Validates the account's credential settings without any network call; errors name the field. */
    void checkCredentials(String account) {
        AccountCredentials ac = settings.credentials().forAccount(Cloud.AWS, account);
        String roleArn = ac.get("roleArn");
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            throw new ValidationException("credentials.roleArn", "'" + roleArn + "' is not an IAM role ARN such as"
                    + " arn:aws:iam::123456789012:role/pledge-purchaser");
        }
        String externalId = ac.get("externalId");
        if (externalId != null && (externalId.length() < 2 || externalId.length() > 1224)) {
            throw new ValidationException("credentials.externalId", "must be 2-1224 characters");
        }
    }

    private SdkClient build(AwsService service, String region, AwsCredentialsProvider creds, Attempts attempts) {
        AwsClientBuilder<?, ?> b = service.builder();
        ((AwsSyncClientBuilder<?, ?>) b).httpClient(http);
        b.region(Region.of(region));
        b.credentialsProvider(creds);
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        }
        RetryStrategy retry = attempts == Attempts.ONCE ? AwsRetryStrategy.doNotRetry()
                : AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build();
        int tries = attempts == Attempts.ONCE ? 1 : settings.maxAttempts();
        b.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(retry)
                .apiCallAttemptTimeout(settings.callTimeout())
                .apiCallTimeout(settings.callTimeout().multipliedBy(tries + 1L))
                .build());
        log.debug("built {} client for region {} ({} attempts)", service, region, tries);
        return (SdkClient) b.build();
    }

    private AwsCredentialsProvider credentialsFor(String account) {
        return credentials.computeIfAbsent(account, a -> {
            AccountCredentials ac = settings.credentials().forAccount(Cloud.AWS, a);
            AwsCredentialsProvider base = baseCredentials(a);
            String roleArn = ac.get("roleArn");
            if (roleArn == null) {
                return base;
            }
            StsClient sts = (StsClient) build(AwsService.STS, "us-east-1", base, Attempts.BOUNDED);
            stsClients.add(sts);
            String externalId = ac.get("externalId");
            return StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                    .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("pledge-" + a).externalId(externalId))
                    .build();
        });
    }

    /**
     * Against the emulator: static keys whose access key id is the account id (the emulator files
     * commitments under it). Against AWS: the default provider chain.
     */
    private AwsCredentialsProvider baseCredentials(String account) {
        if (settings.usesEmulator()) {
            String keyId = account.matches("\\d{12}") ? account : "000000000000";
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, EMULATOR_SECRET));
        }
        AwsCredentialsProvider d = defaultChain;
        if (d == null) {
            synchronized (this) {
                if (defaultChain == null) {
                    defaultChain = DefaultCredentialsProvider.builder().build();
                }
                d = defaultChain;
            }
        }
        return d;
    }

    @Override
    public void close() {
        offerings.clear();
        clients.values().forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("closing an SDK client failed: {}", e.toString());
            }
        });
        clients.clear();
        readClients.values().forEach(f -> {
            SdkClient c = f.getNow(null);
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    log.warn("closing an SDK client failed: {}", e.toString());
                }
            }
        });
        readClients.clear();
        credentials.values().forEach(p -> {
            if (p instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing a credentials provider failed: {}", e.toString());
                }
            }
        });
        credentials.clear();
        stsClients.forEach(SdkClient::close);
        stsClients.clear();
        http.close();
    }
}
