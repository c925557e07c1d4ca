package dev.pledge.common.spi;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How executors reach their cloud. Validated on construction; messages name the setting.
 *
 * @param endpoint       an emulator's base URL ({@code http://127.0.0.1:4566}); null for the real clouds
 * @param callTimeout    timeout of one HTTP attempt
 * @param maxAttempts    attempts for calls that are safe to retry (describe, tag, keyed purchases);
 *                       purchases without a caller key always get exactly one
 * @param pollInterval   interval between polls of a long-running operation (Azure, GCP)
 * @param pollTimeout    how long to poll before the outcome is declared unknown
 * @param clockSkew      tolerance when a lookup guard compares a commitment's start time with the
 *                       earliest recorded attempt
 * @param credentials    per-account credentials
 * @param clock          time source
 * @param offeringCacheTtl how long an executor may reuse an offering lookup (offering id and price) for
 *                       further purchases with the same attributes; zero disables the cache; null means
 *                       {@link #DEFAULT_OFFERING_CACHE_TTL}. Used by the AWS executors; guard lookups
 *                       are never cached
 */
public record ProviderSettings(URI endpoint, Duration callTimeout, int maxAttempts, Duration pollInterval,
                               Duration pollTimeout, Duration clockSkew, CredentialSource credentials,
                               Clock clock, Duration offeringCacheTtl) {

    /** Offering ids are stable; a few minutes spares most repeated lookups and still finds new offerings soon. */
    public static final Duration DEFAULT_OFFERING_CACHE_TTL = Duration.ofMinutes(5);

    public ProviderSettings {
        positive("callTimeout", callTimeout);
        positive("pollInterval", pollInterval);
        positive("pollTimeout", pollTimeout);
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative, was " + clockSkew);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1-10, was " + maxAttempts);
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("endpoint must be an absolute URL such as http://127.0.0.1:4566, was "
                    + endpoint);
        }
        offeringCacheTtl = offeringCacheTtl == null ? DEFAULT_OFFERING_CACHE_TTL : offeringCacheTtl;
        if (offeringCacheTtl.isNegative()) {
            throw new IllegalArgumentException("offeringCacheTtl must not be negative (0 disables the cache), was "
                    + offeringCacheTtl);
        }
        credentials = credentials == null ? CredentialSource.DEFAULT_CHAIN : credentials;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Settings with the default offering cache ({@link #DEFAULT_OFFERING_CACHE_TTL}). */
    public ProviderSettings(URI endpoint, Duration callTimeout, int maxAttempts, Duration pollInterval,
                            Duration pollTimeout, Duration clockSkew, CredentialSource credentials, Clock clock) {
        this(endpoint, callTimeout, maxAttempts, pollInterval, pollTimeout, clockSkew, credentials, clock, null);
    }

    /** Real clouds, default credential chains, conservative timeouts. */
    public static ProviderSettings defaults() {
        return new ProviderSettings(null, Duration.ofSeconds(30), 3, Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofMinutes(5), CredentialSource.DEFAULT_CHAIN, Clock.systemUTC());
    }

    /** Every executor talks to the emulator at this URL, with short timeouts and polls. */
    public static ProviderSettings emulator(URI endpoint) {
        return new ProviderSettings(endpoint, Duration.ofSeconds(5), 3, Duration.ofMillis(50), Duration.ofSeconds(20),
                Duration.ofMinutes(5), CredentialSource.DEFAULT_CHAIN, Clock.systemUTC());
    }

    /**
     * The longest a purchase request can take once sent: every attempt of the call timing out, then
     * polling a long-running operation until the poll timeout.
     */
    public Duration longestPurchaseCall() {
        return callTimeout.multipliedBy(maxAttempts).plus(pollTimeout);
    }

    /**
     * How long after an attempt starts its guard may still be running: four bounded lookups. A caller's
     * {@link PurchaseGate} refuses to let a purchase go out later than this after the attempt started.
     */
    public Duration guardBudget() {
        return callTimeout.multipliedBy(maxAttempts).multipliedBy(4);
    }

    /**
     * How long after an attempt starts it can still buy: the guard budget plus the longest purchase call.
     * An unfinished attempt younger than this may still be in flight; a later attempt must wait for it.
     */
    public Duration inFlightBound() {
        return guardBudget().plus(longestPurchaseCall());
    }

    public boolean usesEmulator() {
        return endpoint != null;
    }

    public ProviderSettings withEndpoint(URI newEndpoint) {
        return new ProviderSettings(newEndpoint, callTimeout, maxAttempts, pollInterval, pollTimeout, clockSkew,
                credentials, clock, offeringCacheTtl);
    }

    public ProviderSettings withCallTimeout(Duration timeout) {
        return new ProviderSettings(endpoint, timeout, maxAttempts, pollInterval, pollTimeout, clockSkew,
                credentials, clock, offeringCacheTtl);
    }

    public ProviderSettings withPolling(Duration interval, Duration timeout) {
        return new ProviderSettings(endpoint, callTimeout, maxAttempts, interval, timeout, clockSkew,
                credentials, clock, offeringCacheTtl);
    }

    public ProviderSettings withCredentials(CredentialSource source) {
        return new ProviderSettings(endpoint, callTimeout, maxAttempts, pollInterval, pollTimeout, clockSkew,
                source, clock, offeringCacheTtl);
    }

    public ProviderSettings withClock(Clock newClock) {
        return new ProviderSettings(endpoint, callTimeout, maxAttempts, pollInterval, pollTimeout, clockSkew,
                credentials, newClock, offeringCacheTtl);
    }

    /** The same settings with another offering cache TTL (zero disables the cache). */
    public ProviderSettings withOfferingCacheTtl(Duration ttl) {
        return new ProviderSettings(endpoint, callTimeout, maxAttempts, pollInterval, pollTimeout, clockSkew,
                credentials, clock, ttl == null ? DEFAULT_OFFERING_CACHE_TTL : ttl);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
