package dev.pledge.app.account;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.AccountCredentials;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Envelope encryption of account credentials: each account's values are sealed (AES-256-GCM) with a
 * data key of its own, bound to the account's cloud and external id; the data key is wrapped by the
 * {@link MasterKey}. Rotating the master key re-wraps data keys only. The fingerprint is an HMAC of
 * the values under the data key, so it stays the same across rotations and changes with the values.
 */
public final class CredentialVault {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile CredentialVault ephemeral;

    private final MasterKey master;

    public CredentialVault(MasterKey master) {
        this.master = master;
    }

    /** One random master key per process: for tools and tests that build services by hand. */
    public static CredentialVault ephemeral() {
        CredentialVault v = ephemeral;
        if (v == null) {
            synchronized (CredentialVault.class) {
                if (ephemeral == null) {
                    ephemeral = new CredentialVault(MasterKey.generate());
                }
                v = ephemeral;
            }
        }
        return v;
    }

    public MasterKey master() {
        return master;
    }

    /** Seals with a fresh data key. */
    public SealedCredentials seal(Cloud cloud, String externalId, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return SealedCredentials.NONE;
        }
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        return seal(cloud, externalId, values, dataKey);
    }

    /** Seals new values under the account's existing data key (its fingerprint then compares with the old one). */
    public SealedCredentials reseal(Cloud cloud, String externalId, Map<String, String> values,
                                    SealedCredentials current) {
        if (values == null || values.isEmpty()) {
            return SealedCredentials.NONE;
        }
        if (current.none()) {
            return seal(cloud, externalId, values);
        }
        return seal(cloud, externalId, values, dataKey(current));
    }

    private SealedCredentials seal(Cloud cloud, String externalId, Map<String, String> values, byte[] dataKey) {
        TreeMap<String, String> sorted = new TreeMap<>(values);
        byte[] plain = encode(sorted);
        return new SealedCredentials(sorted.keySet().stream().toList(), fingerprint(dataKey, plain),
                Aead.seal(dataKey, plain, binding(cloud, externalId)), master.wrap(dataKey), master.id());
    }

    public AccountCredentials open(Cloud cloud, String externalId, SealedCredentials sealed) {
        if (sealed.none()) {
            return AccountCredentials.DEFAULT_CHAIN;
        }
        try {
            return new AccountCredentials(decode(Aead.open(dataKey(sealed), sealed.ciphertext(),
                    binding(cloud, externalId))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the credentials of " + cloud.slug() + " account " + externalId
                    + " do not decrypt (changed in the database, or sealed for another account)");
        }
    }

    /** The same data key wrapped by {@code next} instead of this vault's master key. */
    public SealedCredentials rewrap(SealedCredentials sealed, MasterKey next) {
        if (sealed.none()) {
            return sealed;
        }
        return new SealedCredentials(sealed.fields(), sealed.fingerprint(), sealed.ciphertext(),
                next.wrap(dataKey(sealed)), next.id());
    }

    private byte[] dataKey(SealedCredentials sealed) {
        if (!master.id().equals(sealed.masterKeyId())) {
            throw new WrongMasterKeyException(master.id(), sealed.masterKeyId());
        }
        try {
            return master.unwrap(sealed.wrappedKey());
        } catch (GeneralSecurityException e) {
            throw new WrongMasterKeyException(master.id(), sealed.masterKeyId());
        }
    }

    private static byte[] binding(Cloud cloud, String externalId) {
        return ("pledge account " + cloud.slug() + " " + externalId).getBytes(StandardCharsets.UTF_8);
    }

    private static String fingerprint(byte[] dataKey, byte[] plain) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(dataKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(plain)).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] encode(TreeMap<String, String> values) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(values.size());
            for (Map.Entry<String, String> e : values.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> decode(byte[] plain) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            int n = in.readInt();
            Map<String, String> values = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                values.put(readString(in), readString(in));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The master key in use is not the one the stored data keys were wrapped with. */
    public static final class WrongMasterKeyException extends IllegalStateException {
        public WrongMasterKeyException(String configured, String stored) {
            super("PLEDGE_MASTER_KEY (or pledge.secrets.master-key-file) is not the key the account credentials "
                    + "were sealed with: the configured key is " + configured + ", the stored data keys are wrapped by "
                    + stored + ". Give the right key, or rotate with `pledge keys rotate-master` while the old one "
                    + "is still known");
        }
    }
}
