package dev.pledge.app.account;

import dev.pledge.app.database.TextMaps;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Registers, lists and changes the cloud accounts Pledge buys for. */
@Service
public class AccountService {
    private static final String COLUMNS = "id, cloud, external_id, name, enabled, created_at, updated_at, "
            + TextMaps.arraysOf("credentials", "credentials");
    private static final RowMapper<Account> ROW = (rs, n) -> new Account(
            rs.getObject("id", UUID.class), Cloud.fromSlug("cloud", rs.getString("cloud")),
            rs.getString("external_id"), rs.getString("name"),
            new AccountCredentials(TextMaps.read(rs, "credentials")), rs.getBoolean("enabled"),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());

    private final NamedParameterJdbcTemplate jdbc;

    public AccountService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers an account; a second one with the same cloud and external id is refused and nothing is written. */
    public Account create(NewAccount account) {
        List<Account> created = jdbc.query("INSERT INTO accounts (cloud, external_id, name, credentials) "
                        + "VALUES (:cloud, :externalId, :name, " + TextMaps.jsonbFrom("credentials") + ") "
                        + "ON CONFLICT (cloud, external_id) DO NOTHING RETURNING " + COLUMNS,
                new MapSqlParameterSource()
                        .addValue("cloud", account.cloud().slug())
                        .addValue("externalId", account.externalId())
                        .addValue("name", account.name())
                        .addValue("credentialsKeys", TextMaps.keys(account.credentials()))
                        .addValue("credentialsValues", TextMaps.values(account.credentials())),
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

    /** Renames and/or enables or disables an account; empty when there is no such account. */
    public Optional<Account> update(UUID id, AccountUpdate update) {
        return jdbc.query("UPDATE accounts SET name = coalesce(:name, name), enabled = coalesce(:enabled, enabled), "
                        + "updated_at = now() WHERE id = :id RETURNING " + COLUMNS,
                new MapSqlParameterSource().addValue("id", id).addValue("name", update.name())
                        .addValue("enabled", update.enabled()),
                ROW).stream().findFirst();
    }
}
