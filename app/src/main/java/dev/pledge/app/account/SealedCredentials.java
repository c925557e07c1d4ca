package dev.pledge.app.account;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's credentials as stored: the names of the fields set, a fingerprint of the values (to
 * see whether they changed, not what they are), the values sealed with the account's data key, and
 * that data key wrapped by the master key {@code masterKeyId}. No field holds a secret in clear.
 * An account without credentials (the provider's default chain) has no ciphertext and no key.
 */
public record SealedCredentials(List<String> fields, String fingerprint, byte[] ciphertext, byte[] wrappedKey,
                                String masterKeyId) {
    public static final SealedCredentials NONE = new SealedCredentials(List.of(), null, null, null, null);

    public SealedCredentials {
        fields = List.copyOf(fields);
    }

    public boolean none() {
        return ciphertext == null;
    }

    /** For an admin request's payload (JSON): base64 bytes. */
    public Map<String, Object> toPayloadMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fields", fields);
        m.put("fingerprint", fingerprint);
        m.put("ciphertext", ciphertext == null ? null : Base64.getEncoder().encodeToString(ciphertext));
        m.put("wrappedKey", wrappedKey == null ? null : Base64.getEncoder().encodeToString(wrappedKey));
        m.put("masterKeyId", masterKeyId);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static SealedCredentials fromPayloadMap(Map<String, Object> m) {
        if (m == null || m.get("ciphertext") == null) {
            return NONE;
        }
        return new SealedCredentials((List<String>) m.get("fields"), (String) m.get("fingerprint"),
                Base64.getDecoder().decode((String) m.get("ciphertext")),
                Base64.getDecoder().decode((String) m.get("wrappedKey")), (String) m.get("masterKeyId"));
    }

    @Override
    public String toString() {
        return "SealedCredentials[fields=" + fields + ", fingerprint=" + fingerprint + ", masterKey=" + masterKeyId + "]";
    }
}
