package dev.pledge.app.security;

import dev.pledge.app.database.DatabaseAtStart;
import dev.pledge.common.logging.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Makes sure somebody can use the API after the first start: installs the ADMIN key given in
 * {@code PLEDGE_BOOTSTRAP_ADMIN_KEY} ({@code pledge.api.bootstrap-admin-key}), or, when none is given
 * and no active key exists, generates one. A generated key is written to a file only its owner can
 * read ({@code pledge.api.bootstrap-admin-key-file}, path printed) so it never reaches a container log;
 * it is printed only when standard output is a terminal. Logs show it masked. Also logs a notice
 * while admin four-eyes is off although two people hold ADMIN keys.
 */
@Component
class BootstrapAdminKey implements ApplicationRunner {
    static final String VARIABLE = "PLEDGE_BOOTSTRAP_ADMIN_KEY";
    static final String FILE_PROPERTY = "pledge.api.bootstrap-admin-key-file";
    static final String DEFAULT_FILE = "pledge-bootstrap-admin.key";
    static final String NAME = "bootstrap-admin";
    static final String ACTOR = "system:bootstrap";
    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

    private final ApiKeyService keys;
    private final ApiProperties properties;
    private final Environment environment;
    private final PrintStream console;
    private final boolean terminal;

    @Autowired
    BootstrapAdminKey(ApiKeyService keys, ApiProperties properties, Environment environment) {
        this(keys, properties, environment, System.out, System.console() != null);
    }

    BootstrapAdminKey(ApiKeyService keys, ApiProperties properties, Environment environment, PrintStream console,
                      boolean terminal) {
        this.keys = keys;
        this.properties = properties;
        this.environment = environment;
        this.console = console;
        this.terminal = terminal;
    }

    /** Needs the database: while it cannot be reached (a restart under way) this waits ({@link DatabaseAtStart}). */
    @Override
    public void run(ApplicationArguments args) {
        DatabaseAtStart.from(environment).run("the bootstrap admin key", this::installOrGenerate);
    }

    private void installOrGenerate() {
        String given = configuredKey();
        if (given != null) {
            install(given);
        } else {
            generateIfNoKeyExists();
        }
        if (!properties.adminFourEyes() && keys.activeAdminOwners() >= 2) {
            log.warn("admin four-eyes is off (pledge.api.admin-four-eyes=false) although {} people hold ADMIN keys: "
                    + "turn it on so that key and account changes need a second administrator",
                    keys.activeAdminOwners());
        }
    }

    private String configuredKey() {
        if (properties.bootstrapAdminKey() != null) {
            return properties.bootstrapAdminKey();
        }
        String v = environment.getProperty(VARIABLE);
        if (v == null || v.isBlank()) {
            return null;
        }
        ApiProperties.checkBootstrapKey(VARIABLE, v.trim());
        return v.trim();
    }

    private void install(String secret) {
        Optional<ApiKey> created = keys.importKey(NAME, properties.bootstrapAdminOwner(), EnumSet.of(Role.ADMIN),
                ACTOR, secret);
        if (created.isPresent()) {
            log.info("bootstrap ADMIN key {} installed as key {} (owner {})", Masking.mask(secret),
                    created.get().id(), created.get().owner());
        } else {
            log.info("bootstrap ADMIN key {} is stored already (revoked keys stay revoked)", Masking.mask(secret));
        }
    }

    private void generateIfNoKeyExists() {
        Optional<IssuedKey> issued = keys.underKeyChangeLock(() -> keys.anyActive() ? Optional.<IssuedKey>empty()
                : Optional.of(keys.create(NAME, properties.bootstrapAdminOwner(), EnumSet.of(Role.ADMIN), ACTOR)));
        issued.ifPresent(k -> {
            Path file = Path.of(environment.getProperty(FILE_PROPERTY, DEFAULT_FILE)).toAbsolutePath().normalize();
            writeOwnerOnly(file, k.secret());
            // The one time the whole key leaves the service: a 0600 file, and the console only if a person watches it.
            console.println();
            console.println("No API key existed, so an ADMIN key was generated (owner " + k.key().owner() + ").");
            console.println("It is in " + file + " (readable by this user only).");
            if (terminal) {
                console.println();
                console.println("    " + k.secret());
            }
            console.println();
            console.println("Use it as `Authorization: Bearer <key>`; create other keys with POST /api/v1/keys.");
            console.println("Set " + VARIABLE + " to choose the first admin key instead.");
            console.println();
            console.flush();
            log.warn("generated bootstrap ADMIN key {} (key {}); it was written to {}", Masking.mask(k.secret()),
                    k.key().id(), file);
        });
    }

    static void writeOwnerOnly(Path file, String secret) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the bootstrap ADMIN key to " + file + " (set "
                    + FILE_PROPERTY + " to a writable path)", e);
        }
    }
}
