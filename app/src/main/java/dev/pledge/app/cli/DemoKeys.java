package dev.pledge.app.cli;

import dev.pledge.app.security.ApiKey;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;

/**
 * The three API keys of demo mode (admin, requester, approver). The service stores only their
 * hashes, so to show them again after a restart they are kept in {@code demo-keys.properties} in
 * the data directory, readable by the owner only; a key found revoked or unknown is replaced.
 */
final class DemoKeys {
    static final String FILE = "demo-keys.properties";
    private static final String ACTOR = "system:demo";
    /** Different people, so four-eyes lets the demo approver approve the demo requester's purchases. */
    static final String ADMIN_OWNER = "demo-admin@example.com";
    static final String REQUESTER_OWNER = "demo-requester@example.com";
    static final String APPROVER_OWNER = "demo-approver@example.com";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Properties stored = new Properties();

    DemoKeys(Path dataDir) {
        this.file = dataDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                stored.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file, e);
            }
        }
    }

    /** The admin key to install at start (generated the first time). */
    String adminSecret() {
        String admin = stored.getProperty("admin");
        if (admin == null || admin.length() < 32) {
            byte[] bits = new byte[32];
            RANDOM.nextBytes(bits);
            admin = ApiKeyService.KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
            stored.setProperty("admin", admin);
        }
        return admin;
    }

    /** Makes sure the requester and approver keys exist and are active, then saves all three. */
    Keys ensure(ApiKeyService keys) {
        String requester = ensure(keys, "requester", "demo-requester", REQUESTER_OWNER, Role.REQUESTER);
        String approver = ensure(keys, "approver", "demo-approver", APPROVER_OWNER, Role.APPROVER);
        save();
        return new Keys(stored.getProperty("admin"), requester, approver);
    }

    private String ensure(ApiKeyService keys, String slot, String name, String owner, Role role) {
        String secret = stored.getProperty(slot);
        if (secret != null) {
            Optional<ApiKey> found = keys.authenticate(secret, Duration.ofDays(1));
            if (found.isPresent() && found.get().roles().contains(role) && found.get().owner().equals(owner)) {
                return secret;
            }
        }
        String issued = keys.create(name, owner, EnumSet.of(role), ACTOR).secret();
        stored.setProperty(slot, issued);
        return issued;
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                }
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                stored.store(out, "pledge serve demo-mode API keys; delete this file to get new ones");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    Path file() {
        return file;
    }

    /** The three secrets, shown once per start in demo mode. */
    record Keys(String admin, String requester, String approver) {
        @Override
        public String toString() {
            return "Keys[admin " + dev.pledge.common.logging.Masking.mask(admin) + ", requester "
                    + dev.pledge.common.logging.Masking.mask(requester) + ", approver "
                    + dev.pledge.common.logging.Masking.mask(approver) + "]";
        }
    }
}
