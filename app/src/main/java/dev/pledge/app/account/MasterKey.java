package dev.pledge.app.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The key that wraps every account's data key (AES-256). It lives outside the database:
 * {@code PLEDGE_MASTER_KEY} or the file named by {@code pledge.secrets.master-key-file}, as 32 random
 * bytes in base64 or hex ({@code openssl rand -base64 32}). Its {@link #id()} is stored beside each
 * wrapped key, so a wrong master key is recognised at start instead of failing at the first purchase.
 * {@link #toString()} shows only the id.
 */
public final class MasterKey {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private final byte[] key;
    private final String id;

    private MasterKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a master key is 32 bytes, got " + key.length);
        }
        this.key = key.clone();
        this.id = idOf(key);
    }

    /** Parses base64 or hex text; {@code source} names the setting in the error. */
    public static MasterKey parse(String source, String text) {
        String t = text == null ? "" : text.trim();
        byte[] bytes;
        try {
            bytes = HEX.matcher(t).matches() ? HexFormat.of().parseHex(t) : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(source + " must be 32 random bytes in base64 or hex (generate one with "
                    + "`openssl rand -base64 32`); it is " + t.length() + " characters that do not decode to 32 bytes");
        }
        return new MasterKey(bytes);
    }

    public static MasterKey generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new MasterKey(bytes);
    }

    /** The base64 text of a key (for writing a generated key to its file). */
    public String encoded() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** 16 hex characters of a SHA-256 over a label and the key: names the key, reveals nothing of it. */
    public String id() {
        return id;
    }

    byte[] wrap(byte[] dataKey) {
        return Aead.seal(key, dataKey, ("pledge data key " + id).getBytes(StandardCharsets.UTF_8));
    }

    byte[] unwrap(byte[] wrapped) throws GeneralSecurityException {
        return Aead.open(key, wrapped, ("pledge data key " + id).getBytes(StandardCharsets.UTF_8));
    }

    private static String idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("pledge master key id\0".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(key)).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
