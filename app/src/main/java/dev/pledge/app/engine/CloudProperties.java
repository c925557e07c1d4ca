package dev.pledge.app.engine;

import dev.pledge.common.spi.CredentialSource;
import dev.pledge.common.spi.ProviderSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code pledge.cloud.*}: how the executors reach the clouds, turned into the SPI's
 * {@link ProviderSettings}.
 *
 * @param endpoint     an emulator's base URL; unset for the real clouds
 * @param callTimeout  timeout of one HTTP attempt
 * @param maxAttempts  attempts for calls that are safe to retry (1-10)
 * @param pollInterval interval between polls of a long-running purchase (Azure, GCP)
 * @param pollTimeout  how long to poll before the outcome is declared unknown
 * @param clockSkew    tolerance of a lookup guard comparing start times with recorded attempts
 * @param offeringCacheTtl how long the AWS executors reuse an offering lookup (id and price) for purchases
 *                     with the same attributes; 0 disables the cache (guard lookups are never cached)
 * @param mode         {@code real} (the real clouds) or unset; read by {@code pledge serve} to decide on demo
 *                     mode, checked here too so a mistyped mode stops any start
 */
@ConfigurationProperties("pledge.cloud")
public record CloudProperties(
        URI endpoint,
        @DefaultValue("30s") Duration callTimeout,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("10m") Duration pollTimeout,
        @DefaultValue("5m") Duration clockSkew,
        @DefaultValue("5m") Duration offeringCacheTtl,
        String mode) {

    /** The property {@link #realMode(String)} checks. */
    public static final String MODE_PROPERTY = "pledge.cloud.mode";

    public CloudProperties {
        realMode(mode);
        positive("call-timeout", callTimeout);
        positive("poll-interval", pollInterval);
        positive("poll-timeout", pollTimeout);
        if (clockSkew == null || clockSkew.isNegative()) {
            throw new IllegalArgumentException("pledge.cloud.clock-skew must not be negative, was " + clockSkew);
        }
        if (offeringCacheTtl == null || offeringCacheTtl.isNegative()) {
            throw new IllegalArgumentException("pledge.cloud.offering-cache-ttl must not be negative (0 disables the"
                    + " offering cache), was " + offeringCacheTtl);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("pledge.cloud.max-attempts must be 1-10, was " + maxAttempts);
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("pledge.cloud.endpoint must be an absolute URL such as "
                    + "http://127.0.0.1:4566, was " + endpoint);
        }
    }

    public ProviderSettings toSettings(CredentialSource credentials, Clock clock) {
        return new ProviderSettings(endpoint, callTimeout, maxAttempts, pollInterval, pollTimeout, clockSkew,
                credentials, clock, offeringCacheTtl);
    }

    /**
     * Whether {@code pledge.cloud.mode} asks for the real clouds: {@code real} (in any case) does,
     * unset or blank does not (demo mode, unless an endpoint is set). Any other value is refused: a
     * typo must not silently mean the emulator.
     */
    public static boolean realMode(String mode) {
        if (mode == null || mode.isBlank()) {
            return false;
        }
        if (mode.trim().equalsIgnoreCase("real")) {
            return true;
        }
        throw new IllegalArgumentException(MODE_PROPERTY + " must be 'real' (the real clouds) or unset (the built-in "
                + "emulator with demo accounts, unless pledge.cloud.endpoint is set), was '" + mode + "'");
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("pledge.cloud." + name + " must be a positive duration, was " + value);
        }
    }
}
