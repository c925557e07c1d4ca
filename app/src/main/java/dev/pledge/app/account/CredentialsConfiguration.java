package dev.pledge.app.account;

import dev.pledge.app.database.DatabaseAtStart;
import dev.pledge.app.database.TextMaps;
import dev.pledge.common.model.Cloud;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Where the master key comes from, and the checks at start: {@code PLEDGE_MASTER_KEY}, or the file
 * {@code pledge.secrets.master-key-file} (generated there, owner-only, when
 * {@code pledge.secrets.generate-master-key=true}: `pledge serve` with its embedded database). Without
 * either, the service refuses to start against the real clouds; against an emulator it uses a key
 * that lives as long as the process. At start, a master key that is not the one the stored data keys
 * were wrapped with stops the service, and clear-text credentials left by earlier versions are sealed;
 * while the database cannot be reached these wait for it ({@link DatabaseAtStart}).
 */
@Configuration(proxyBeanMethods = false)
class CredentialsConfiguration {
    static final String VARIABLE = "PLEDGE_MASTER_KEY";
    static final String FILE = "pledge.secrets.master-key-file";
    static final String GENERATE = "pledge.secrets.generate-master-key";
    static final String KEY_FILE_DIRECTORY = "pledge.secrets.key-file-directory";
    private static final Logger log = LoggerFactory.getLogger(CredentialsConfiguration.class);

    @Bean
    CredentialVault credentialVault(Environment env) {
        return new CredentialVault(masterKey(env));
    }

    @Bean
    AccountService accountService(NamedParameterJdbcTemplate jdbc, CredentialVault vault, Environment env) {
        String dir = env.getProperty(KEY_FILE_DIRECTORY);
        return new AccountService(jdbc, vault, dir == null || dir.isBlank() ? null : Path.of(dir));
    }

    /**
     * The check and the sealing at start need the database; while it cannot be reached (a worker restarted
     * during a database restart) they are tried again with backoff ({@link DatabaseAtStart}).
     */
    @Bean
    InitializingBean credentialsAtRest(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, CredentialVault vault,
                                       Environment env) {
        DatabaseAtStart database = DatabaseAtStart.from(env);
        return () -> database.run("the master key check and the sealing of clear-text credentials",
                () -> tx.executeWithoutResult(status -> checkAndSeal(jdbc, vault)));
    }

    /** A master key other than the one the stored data keys were wrapped with stops the service. */
    private static void checkAndSeal(NamedParameterJdbcTemplate jdbc, CredentialVault vault) {
        List<String> stored = jdbc.queryForList("SELECT DISTINCT master_key_id FROM accounts "
                + "WHERE master_key_id IS NOT NULL UNION SELECT DISTINCT payload #>> '{credentials,masterKeyId}' "
                + "FROM admin_requests WHERE status = 'PENDING' AND payload #>> '{credentials,masterKeyId}' IS NOT NULL",
                new MapSqlParameterSource(), String.class);
        for (String id : stored) {
            if (!id.equals(vault.master().id())) {
                throw new CredentialVault.WrongMasterKeyException(vault.master().id(), id);
            }
        }
        sealClearText(jdbc, vault);
    }

    /** Credentials stored in clear by versions before V54: sealed, and the clear column emptied. */
    private static void sealClearText(NamedParameterJdbcTemplate jdbc, CredentialVault vault) {
        record Clear(java.util.UUID id, Cloud cloud, String externalId, Map<String, String> values) {
        }
        List<Clear> clear = jdbc.query("SELECT id, cloud, external_id, " + TextMaps.arraysOf("credentials", "c")
                        + " FROM accounts WHERE credentials <> '{}'::jsonb FOR UPDATE", new MapSqlParameterSource(),
                (rs, n) -> new Clear(rs.getObject("id", java.util.UUID.class), Cloud.fromSlug("cloud",
                        rs.getString("cloud")), rs.getString("external_id"), TextMaps.read(rs, "c")));
        for (Clear c : clear) {
            SealedCredentials sealed = vault.seal(c.cloud(), c.externalId(), c.values());
            jdbc.update("UPDATE accounts SET credentials = '{}'::jsonb, credential_fields = CAST(:fields AS text[]), "
                    + "credentials_fingerprint = :fingerprint, credentials_sealed = :sealed, data_key_wrapped = :wrapped, "
                    + "master_key_id = :masterKeyId WHERE id = :id",
                    AccountService.sealedParameters(sealed).addValue("id", c.id()));
        }
        if (!clear.isEmpty()) {
            log.warn("sealed the clear-text credentials of {} account(s) under master key {}", clear.size(),
                    vault.master().id());
        }
    }

    static MasterKey masterKey(Environment env) {
        String given = env.getProperty(VARIABLE);
        if (given != null && !given.isBlank()) {
            return MasterKey.parse(VARIABLE, given);
        }
        String file = env.getProperty(FILE);
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file), env.getProperty(GENERATE, Boolean.class, false));
        }
        if (env.getProperty("pledge.cloud.endpoint") == null || env.getProperty("pledge.cloud.endpoint").isBlank()) {
            throw new IllegalStateException("no master key: set " + VARIABLE + " (or " + FILE + ") to 32 random bytes "
                    + "in base64, e.g. `openssl rand -base64 32`. Account credentials are encrypted with it, and the "
                    + "service does not talk to the real clouds without it");
        }
        log.warn("no master key ({} or {}): credentials are sealed with a key that lives as long as this process "
                + "(fine against the emulator, not for anything kept)", VARIABLE, FILE);
        return CredentialVault.ephemeral().master();
    }

    private static MasterKey fromFile(Path file, boolean generate) {
        try {
            if (!Files.exists(file) && generate) {
                MasterKey key = MasterKey.generate();
                Files.createDirectories(file.toAbsolutePath().getParent());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                }
                Files.writeString(file, key.encoded() + "\n", StandardCharsets.UTF_8);
                log.warn("generated master key {} into {} (owner-only); keep a copy of it: the account credentials "
                        + "cannot be read without it", key.id(), file);
                return key;
            }
            return MasterKey.parse(FILE + " (" + file + ")", Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the master key file " + file + " (" + FILE + ")", e);
        }
    }
}
