package dev.pledge.app.security;

import dev.pledge.common.logging.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Makes sure somebody can use the API after the first start: installs the ADMIN key given in
 * {@code PLEDGE_BOOTSTRAP_ADMIN_KEY} ({@code pledge.api.bootstrap-admin-key}), or, when none is given
 * and no active key exists, generates one and prints it once on standard output. Logs show it masked.
 */
@Component
class BootstrapAdminKey implements ApplicationRunner {
    static final String VARIABLE = "PLEDGE_BOOTSTRAP_ADMIN_KEY";
    static final String NAME = "bootstrap-admin";
    static final String ACTOR = "system:bootstrap";
    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

    private final ApiKeyService keys;
    private final ApiProperties properties;
    private final Environment environment;
    private final PrintStream console;

    @Autowired
    BootstrapAdminKey(ApiKeyService keys, ApiProperties properties, Environment environment) {
        this(keys, properties, environment, System.out);
    }

    BootstrapAdminKey(ApiKeyService keys, ApiProperties properties, Environment environment, PrintStream console) {
        this.keys = keys;
        this.properties = properties;
        this.environment = environment;
        this.console = console;
    }

    @Override
    public void run(ApplicationArguments args) {
        String given = configuredKey();
        if (given != null) {
            install(given);
        } else {
            generateIfNoKeyExists();
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
        Optional<ApiKey> created = keys.importKey(NAME, EnumSet.of(Role.ADMIN), ACTOR, secret);
        if (created.isPresent()) {
            log.info("bootstrap ADMIN key {} installed as key {}", Masking.mask(secret), created.get().id());
        } else {
            log.info("bootstrap ADMIN key {} is stored already (revoked keys stay revoked)", Masking.mask(secret));
        }
    }

    private void generateIfNoKeyExists() {
        Optional<IssuedKey> issued = keys.underKeyChangeLock(() -> keys.anyActive() ? Optional.<IssuedKey>empty()
                : Optional.of(keys.create(NAME, EnumSet.of(Role.ADMIN), ACTOR)));
        issued.ifPresent(k -> {
            // The one time the whole key is shown: on the console, not through the logger.
            console.println();
            console.println("No API key existed, so an ADMIN key was generated. It is shown this once:");
            console.println();
            console.println("    " + k.secret());
            console.println();
            console.println("Use it as `Authorization: Bearer <key>`; create other keys with POST /api/v1/keys.");
            console.println("Set " + VARIABLE + " to choose the first admin key instead.");
            console.println();
            console.flush();
            log.warn("generated bootstrap ADMIN key {} (key {}); it was printed once on standard output",
                    Masking.mask(k.secret()), k.key().id());
        });
    }
}
