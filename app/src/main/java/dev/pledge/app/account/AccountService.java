package dev.pledge.app.account;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Registers, lists and changes the cloud accounts Pledge buys for. Credentials are sealed by the
 * {@link CredentialVault} before they reach the database and opened only for an executor
 * ({@link #credentials}); nothing else ever sees a value.
 */
public class AccountService {
    /** The GCP credential field naming a key file on the server: allowed only under the key-file directory. */
    static final String KEY_FILE_FIELD = "serviceAccountKeyFile";
    private static final String COLUMNS = "id, cloud, external_id, name, enabled, created_at, updated_at, "
            + "credential_fields, credentials_fingerprint";
    private static final String SEALED = "credential_fields, credentials_fingerprint, credentials_sealed, "
            + "data_key_wrapped, master_key_id";
    private static final RowMapper<Account> ROW = (rs, n) -> new Account(
            rs.getObject("id", UUID.class), Cloud.fromSlug("cloud", rs.getString("cloud")),
            rs.getString("external_id"), rs.getString("name"), texts(rs.getArray("credential_fields")),
            rs.getString("credentials_fingerprint"), rs.getBoolean("enabled"),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());

    private final NamedParameterJdbcTemplate jdbc;
    private final CredentialVault vault;
    private final Path keyFileDirectory;

    /** For tools and tests: a per-process master key, and no key files allowed. */
    public AccountService(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, CredentialVault.ephemeral(), null);
    }

    /**
     * @param keyFileDirectory where GCP key files may be named from (pledge.secrets.key-file-directory);
     *                         null refuses every key-file path
     */
    public AccountService(NamedParameterJdbcTemplate jdbc, CredentialVault vault, Path keyFileDirectory) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.keyFileDirectory = keyFileDirectory == null ? null : keyFileDirectory.toAbsolutePath().normalize();
    }

    public CredentialVault vault() {
        return vault;
    }

    /** Seals credentials for an account not stored yet (an admin request waiting for its second admin). */
    public SealedCredentials seal(Cloud cloud, String externalId, Map<String, String> credentials) {
        checkKeyFiles(credentials);
        return vault.seal(cloud, externalId, credentials);
    }

    /** Seals replacement credentials for an account under its existing data key. */
    public SealedCredentials sealReplacement(Account account, Map<String, String> credentials,
                                             SealedCredentials current) {
        checkKeyFiles(credentials);
        return vault.reseal(account.cloud(), account.externalId(), credentials, current);
    }

    /** Registers an account; a second one with the same cloud and external id is refused and nothing is written. */
    public Account create(NewAccount account) {
        return create(account, seal(account.cloud(), account.externalId(), account.credentials()));
    }

    /** Registers an account with credentials sealed earlier by {@link #seal}. */
    public Account create(NewAccount account, SealedCredentials sealed) {
        List<Account> created = jdbc.query("INSERT INTO accounts (cloud, external_id, name, " + SEALED + ") "
                        + "VALUES (:cloud, :externalId, :name, CAST(:fields AS text[]), :fingerprint, :sealed, "
                        + ":wrapped, :masterKeyId) "
                        + "ON CONFLICT (cloud, external_id) DO NOTHING RETURNING " + COLUMNS,
                sealedParameters(sealed)
                        .addValue("cloud", account.cloud().slug())
                        .addValue("externalId", account.externalId())
                        .addValue("name", account.name()),
                ROW);
        if (created.isEmpty()) {
            throw new ValidationException("externalId", "an " + account.cloud().slug() + " account '"
                    + account.externalId() + "' is registered already");
        }
        return created.get(0);
    }

    public List<Account> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts ORDER BY created_at, id", ROW);
    }

    public Optional<Account> find(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts WHERE id = :id",
                new MapSqlParameterSource("id", id), ROW).stream().findFirst();
    }

    public Optional<Account> findByExternalId(Cloud cloud, String externalId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts WHERE cloud = :cloud AND external_id = :externalId",
                new MapSqlParameterSource().addValue("cloud", cloud.slug()).addValue("externalId", externalId),
                ROW).stream().findFirst();
    }

    /** The opened credentials of an account, for an executor; empty when no such account is registered. */
    public Optional<AccountCredentials> credentials(Cloud cloud, String externalId) {
        return jdbc.query("SELECT " + SEALED + " FROM accounts WHERE cloud = :cloud AND external_id = :externalId",
                new MapSqlParameterSource().addValue("cloud", cloud.slug()).addValue("externalId", externalId),
                (rs, n) -> vault.open(cloud, externalId, sealed(rs))).stream().findFirst();
    }

    /**
     * Renames, enables or disables an account and/or replaces its credentials (sealed under its
     * existing data key); empty when there is no such account.
     */
    public Optional<Account> update(UUID id, AccountUpdate update) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("id", id).addValue("name", update.name())
                .addValue("enabled", update.enabled());
        String credentials = "";
        if (update.credentials() != null) {
            checkKeyFiles(update.credentials());
            Optional<Account> account = find(id);
            if (account.isEmpty()) {
                return Optional.empty();
            }
            SealedCredentials current = storedSealed(id).orElse(SealedCredentials.NONE);
            SealedCredentials next = vault.reseal(account.get().cloud(), account.get().externalId(),
                    update.credentials(), current);
            params.addValues(sealedParameters(next).getValues());
            credentials = ", credential_fields = CAST(:fields AS text[]), credentials_fingerprint = :fingerprint, "
                    + "credentials_sealed = :sealed, data_key_wrapped = :wrapped, master_key_id = :masterKeyId";
        }
        return jdbc.query("UPDATE accounts SET name = coalesce(:name, name), enabled = coalesce(:enabled, enabled), "
                        + "updated_at = now()" + credentials + " WHERE id = :id RETURNING " + COLUMNS,
                params, ROW).stream().findFirst();
    }

    /** Updates with credentials already sealed for this account (a confirmed admin request). */
    public Optional<Account> update(UUID id, String name, Boolean enabled, SealedCredentials sealed) {
        MapSqlParameterSource params = sealedParameters(sealed).addValue("id", id).addValue("name", name)
                .addValue("enabled", enabled);
        return jdbc.query("UPDATE accounts SET name = coalesce(:name, name), enabled = coalesce(:enabled, enabled), "
                        + "updated_at = now(), credential_fields = CAST(:fields AS text[]), "
                        + "credentials_fingerprint = :fingerprint, credentials_sealed = :sealed, "
                        + "data_key_wrapped = :wrapped, master_key_id = :masterKeyId WHERE id = :id RETURNING " + COLUMNS,
                params, ROW).stream().findFirst();
    }

    /** The sealed credentials of an account as stored. */
    public Optional<SealedCredentials> storedSealed(UUID id) {
        return jdbc.query("SELECT " + SEALED + " FROM accounts WHERE id = :id", new MapSqlParameterSource("id", id),
                (rs, n) -> sealed(rs)).stream().findFirst();
    }

    /**
     * A GCP key file must lie under the configured directory. Only the path's text is examined (never
     * the file system), so an error says nothing about which files exist.
     */
    void checkKeyFiles(Map<String, String> credentials) {
        String value = credentials == null ? null : credentials.get(KEY_FILE_FIELD);
        if (value == null) {
            return;
        }
        String field = "credentials." + KEY_FILE_FIELD;
        if (keyFileDirectory == null) {
            throw new ValidationException(field, "key files are not allowed on this server: set "
                    + "pledge.secrets.key-file-directory to the directory they are mounted in, or use impersonate");
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new ValidationException(field, "is not a file path");
        }
        if (!path.isAbsolute()) {
            path = keyFileDirectory.resolve(path);
        }
        if (!path.normalize().startsWith(keyFileDirectory) || path.normalize().equals(keyFileDirectory)) {
            throw new ValidationException(field, "must name a file under the key-file directory "
                    + "(pledge.secrets.key-file-directory)");
        }
    }

    static MapSqlParameterSource sealedParameters(SealedCredentials s) {
        return new MapSqlParameterSource()
                .addValue("fields", s.fields().toArray(String[]::new))
                .addValue("fingerprint", s.fingerprint())
                .addValue("sealed", s.ciphertext())
                .addValue("wrapped", s.wrappedKey())
                .addValue("masterKeyId", s.masterKeyId());
    }

    static SealedCredentials sealed(ResultSet rs) throws SQLException {
        if (rs.getBytes("credentials_sealed") == null) {
            return SealedCredentials.NONE;
        }
        return new SealedCredentials(texts(rs.getArray("credential_fields")), rs.getString("credentials_fingerprint"),
                rs.getBytes("credentials_sealed"), rs.getBytes("data_key_wrapped"), rs.getString("master_key_id"));
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
