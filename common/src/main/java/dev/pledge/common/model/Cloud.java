package dev.pledge.common.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three clouds Pledge buys from. The slug is the lowercase name used by the CLI and the API. */
public enum Cloud {
    AWS, AZURE, GCP;

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code aws}, {@code azure} or {@code gcp} (any case); the error names {@code field}. */
    public static Cloud fromSlug(String field, String value) {
        if (value != null) {
            for (Cloud c : values()) {
                if (c.slug().equalsIgnoreCase(value.trim())) {
                    return c;
                }
            }
        }
        throw new ValidationException(field, "unknown cloud '" + value + "'; allowed: "
                + Arrays.stream(values()).map(Cloud::slug).collect(Collectors.joining(", ")));
    }
}
