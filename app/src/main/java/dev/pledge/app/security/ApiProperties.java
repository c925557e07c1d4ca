package dev.pledge.app.security;

import dev.pledge.common.logging.Masking;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * {@code pledge.api.*}: the web API. Checked when bound; a bad value refuses to start with a message
 * naming the property.
 *
 * @param fourEyes           the key that created a purchase may not approve it; turning this off needs
 *                           {@code pledge.api.four-eyes=false} and is logged as a warning at start
 * @param maxBodySize        larger request bodies are refused with 413 before they are read
 * @param lastUsedResolution a key's last-used time is written at most this often
 * @param bootstrapAdminKey  an ADMIN key to install at start (also read from {@code PLEDGE_BOOTSTRAP_ADMIN_KEY});
 *                           when unset and no key exists, one is generated (written to a 0600 file)
 * @param bootstrapAdminOwner the owner recorded on the bootstrap ADMIN key
 * @param adminFourEyes      admin actions (keys, accounts) wait for a second ADMIN of another owner
 * @param badKeyBurst        failed authentications a client address may make in a burst before 429
 * @param badKeyRefill       one more failed authentication is allowed per this interval
 */
@ConfigurationProperties("pledge.api")
public record ApiProperties(
        @DefaultValue("true") boolean fourEyes,
        @DefaultValue("512KB") DataSize maxBodySize,
        @DefaultValue("60s") Duration lastUsedResolution,
        String bootstrapAdminKey,
        @DefaultValue("bootstrap-admin") String bootstrapAdminOwner,
        @DefaultValue("false") boolean adminFourEyes,
        @DefaultValue("20") int badKeyBurst,
        @DefaultValue("6s") Duration badKeyRefill) {

    public static final int MIN_BOOTSTRAP_KEY_LENGTH = 32;
    private static final String P = "pledge.api.";

    public ApiProperties {
        if (maxBodySize == null || maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > 64L * 1024 * 1024) {
            throw new IllegalArgumentException(P + "max-body-size must be 1KB-64MB, was " + maxBodySize);
        }
        if (lastUsedResolution == null || lastUsedResolution.isZero() || lastUsedResolution.isNegative()) {
            throw new IllegalArgumentException(P + "last-used-resolution must be a positive duration (e.g. 60s), was "
                    + lastUsedResolution);
        }
        bootstrapAdminOwner = ApiKeyService.checkOwnerSetting(P + "bootstrap-admin-owner", bootstrapAdminOwner);
        if (badKeyBurst < 1 || badKeyBurst > 100_000) {
            throw new IllegalArgumentException(P + "bad-key-burst must be 1-100000, was " + badKeyBurst);
        }
        if (badKeyRefill == null || badKeyRefill.isZero() || badKeyRefill.isNegative()) {
            throw new IllegalArgumentException(P + "bad-key-refill must be a positive duration (e.g. 6s), was "
                    + badKeyRefill);
        }
        if (bootstrapAdminKey != null && bootstrapAdminKey.isBlank()) {
            bootstrapAdminKey = null;
        }
        if (bootstrapAdminKey != null) {
            checkBootstrapKey(P + "bootstrap-admin-key", bootstrapAdminKey);
        }
    }

    /** A chosen admin key must be long enough to be unguessable and printable in a header. */
    static void checkBootstrapKey(String source, String key) {
        if (key.length() < MIN_BOOTSTRAP_KEY_LENGTH || key.length() > 512
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(source + " must be " + MIN_BOOTSTRAP_KEY_LENGTH + "-512 printable "
                    + "characters without spaces (e.g. the output of `openssl rand -hex 32`); got "
                    + key.length() + " characters");
        }
    }

    @Override
    public String toString() {
        return "ApiProperties[fourEyes=" + fourEyes + ", maxBodySize=" + maxBodySize + ", lastUsedResolution="
                + lastUsedResolution + ", bootstrapAdminKey=" + Masking.mask(bootstrapAdminKey) + ", bootstrapAdminOwner="
                + bootstrapAdminOwner + ", adminFourEyes=" + adminFourEyes + ", badKeyBurst=" + badKeyBurst
                + ", badKeyRefill=" + badKeyRefill + "]";
    }
}
