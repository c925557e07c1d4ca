package dev.pledge.common.spi;

import dev.pledge.common.logging.Masking;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How to act for one account, as plain properties (e.g. AWS {@code roleArn} and
 * {@code externalId}; Azure {@code tenantId}, {@code clientId}, {@code clientSecret};
 * GCP {@code serviceAccountKeyFile} or {@code impersonate}). Empty means the provider's
 * default chain. {@link #toString()} masks every value.
 */
public record AccountCredentials(Map<String, String> properties) {
    public static final AccountCredentials DEFAULT_CHAIN = new AccountCredentials(Map.of());

    public AccountCredentials {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public String get(String key) {
        return properties.get(key);
    }

    public boolean isDefaultChain() {
        return properties.isEmpty();
    }

    @Override
    public String toString() {
        return new TreeMap<>(properties).entrySet().stream()
                .map(e -> e.getKey() + "=" + Masking.mask(e.getValue()))
                .collect(Collectors.joining(", ", "AccountCredentials[", "]"));
    }
}
