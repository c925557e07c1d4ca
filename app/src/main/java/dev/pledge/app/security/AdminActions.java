package dev.pledge.app.security;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountCredentialSource;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.AccountUpdate;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.account.SealedCredentials;
import dev.pledge.app.audit.AuditEntry;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.common.model.Cloud;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Admin actions: creating a key (granting its roles), revoking a key, registering an account,
 * changing an account. Each is done in one transaction with its audit row naming the actor. With
 * {@code pledge.api.admin-four-eyes=true} an action is first stored as a pending request, and a
 * second ADMIN of another owner confirms it (or any ADMIN rejects it). Account credentials in a
 * pending request are sealed like stored ones, never kept in clear.
 */
@Service
public class AdminActions {
    private static final Logger log = LoggerFactory.getLogger(AdminActions.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ApiKeyService keys;
    private final AccountService accounts;
    private final AccountCredentialSource credentials;
    private final AuditTrail audit;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApiProperties properties;
    private final List<Consumer<Account>> credentialListeners = new ArrayList<>();

    AdminActions(ApiKeyService keys, AccountService accounts, AccountCredentialSource credentials, AuditTrail audit,
                 NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, ApiProperties properties,
                 org.springframework.beans.factory.ObjectProvider<dev.pledge.common.spi.ExecutorRegistry> executors) {
        this.keys = keys;
        this.accounts = accounts;
        this.credentials = credentials;
        this.audit = audit;
        this.jdbc = jdbc;
        this.tx = tx;
        this.properties = properties;
        // the executors' clients were built from the old credentials: drop them (no registry without the engine)
        onCredentialsReplaced(a -> executors.ifAvailable(r -> r.forgetAccount(a.cloud(), a.externalId())));
    }

    /** Called after an account's credentials were replaced (e.g. to drop the clients built from the old ones). */
    public void onCredentialsReplaced(Consumer<Account> listener) {
        credentialListeners.add(listener);
    }

    /** What an admin action did: done now, or waiting for a second admin. */
    public sealed interface Outcome<T> {
        record Done<T>(T result) implements Outcome<T> {
        }

        record Pending<T>(AdminRequest request) implements Outcome<T> {
        }
    }

    /** An admin action waiting for (or past) its second admin. */
    public record AdminRequest(UUID id, String action, String summary, String status, String requestedBy,
                               String requestedOwner, Instant requestedAt, String decidedBy, String decidedOwner,
                               Instant decidedAt, String result) {
    }

    public Outcome<IssuedKey> createKey(Actor actor, String name, String owner, List<Role> roles) {
        String n = ApiKeyService.checkName(name);
        String o = ApiKeyService.checkOwner(owner);
        var r = ApiKeyService.checkRoles(roles);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", n);
        payload.put("owner", o);
        payload.put("roles", r.stream().map(Enum::name).sorted().toList());
        return perform(actor, "KEY_CREATE", "create key '" + n + "' for " + o + " with roles " + payload.get("roles"),
                payload, (who, note) -> createKeyNow(who, payload, note));
    }

    public Outcome<ApiKeyService.Revocation> revokeKey(Actor actor, UUID id) {
        ApiKey key = keys.find(id).orElse(null);
        if (key == null) {
            return new Outcome.Done<>(new ApiKeyService.Revocation.NotFound(id));
        }
        if (key.revoked()) {
            return new Outcome.Done<>(new ApiKeyService.Revocation.AlreadyRevoked(key));
        }
        Map<String, Object> payload = Map.of("key", id.toString());
        return perform(actor, "KEY_REVOKE", "revoke key '" + key.name() + "' of " + key.owner() + " (" + id + ")",
                payload, (who, note) -> revokeKeyNow(who, payload, note));
    }

    public Outcome<Account> registerAccount(Actor actor, NewAccount account) {
        SealedCredentials sealed = accounts.seal(account.cloud(), account.externalId(), account.credentials());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("cloud", account.cloud().slug());
        payload.put("externalId", account.externalId());
        payload.put("name", account.name());
        payload.put("credentials", sealed.toPayloadMap());
        return perform(actor, "ACCOUNT_REGISTER", "register " + account.cloud().slug() + " account "
                        + account.externalId() + " '" + account.name() + "'" + fields(sealed), payload,
                (who, note) -> registerAccountNow(who, payload, note));
    }

    public Outcome<Optional<Account>> updateAccount(Actor actor, UUID id, AccountUpdate update) {
        Account account = accounts.find(id).orElse(null);
        if (account == null) {
            return new Outcome.Done<>(Optional.empty());
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("account", id.toString());
        payload.put("name", update.name());
        payload.put("enabled", update.enabled());
        StringBuilder summary = new StringBuilder("change account " + id + " (" + account.cloud().slug() + " "
                + account.externalId() + "):");
        if (update.name() != null) {
            summary.append(" name '").append(update.name()).append("'");
        }
        if (update.enabled() != null) {
            summary.append(update.enabled() ? " enable" : " disable");
        }
        if (update.credentials() != null) {
            SealedCredentials current = accounts.storedSealed(id).orElse(SealedCredentials.NONE);
            SealedCredentials next = accounts.sealReplacement(account, update.credentials(), current);
            payload.put("credentials", next.toPayloadMap());
            summary.append(" replace credentials").append(fields(next));
        }
        return perform(actor, "ACCOUNT_UPDATE", summary.toString(), payload,
                (who, note) -> updateAccountNow(who, payload, note));
    }

    public List<AdminRequest> requests(int limit) {
        return jdbc.query("SELECT * FROM admin_requests ORDER BY requested_at DESC, id LIMIT :limit",
                new MapSqlParameterSource("limit", limit), REQUEST);
    }

    public Optional<AdminRequest> request(UUID id) {
        return jdbc.query("SELECT * FROM admin_requests WHERE id = :id", new MapSqlParameterSource("id", id), REQUEST)
                .stream().findFirst();
    }

    /** What confirming or rejecting a request did. */
    public sealed interface Decision {
        record Confirmed(AdminRequest request, Object result) implements Decision {
        }

        record Rejected(AdminRequest request) implements Decision {
        }

        record NotPending(AdminRequest request) implements Decision {
        }

        record SameOwner(AdminRequest request) implements Decision {
        }

        record NotFound(UUID id) implements Decision {
        }
    }

    /** A second ADMIN (of another owner than the requester) confirms: the action is done now, in this transaction. */
    public Decision confirm(UUID id, Actor confirmer) {
        Decision d = tx.execute(status -> {
            Optional<Map<String, Object>> row = lockPending(id);
            if (row.isEmpty()) {
                return request(id).<Decision>map(Decision.NotPending::new).orElseGet(() -> new Decision.NotFound(id));
            }
            AdminRequest r = requestFromMap(row.get());
            if (r.requestedOwner().equals(confirmer.owner())) {
                return new Decision.SameOwner(r);
            }
            Map<String, Object> payload = JSON.readValue((String) row.get().get("payload_text"), MAP);
            String note = "requested by " + r.requestedOwner() + " (" + r.requestedBy() + "), admin request " + id;
            Object result = switch (r.action()) {
                case "KEY_CREATE" -> createKeyNow(confirmer, payload, note);
                case "KEY_REVOKE" -> revokeKeyNow(confirmer, payload, note);
                case "ACCOUNT_REGISTER" -> registerAccountNow(confirmer, payload, note);
                case "ACCOUNT_UPDATE" -> updateAccountNow(confirmer, payload, note);
                default -> throw new IllegalStateException("unknown admin action " + r.action());
            };
            decide(id, confirmer, "CONFIRMED", describe(result));
            audit.append(new AuditEntry(confirmer.actor(), "ADMIN_CONFIRM", null, null, null, null, null,
                    "confirmed admin request " + id + " (" + r.action() + ": " + r.summary() + ") of "
                            + r.requestedOwner()));
            return new Decision.Confirmed(request(id).orElseThrow(), result);
        });
        if (d instanceof Decision.Confirmed c) {
            afterCommit(c.result());
        }
        return d;
    }

    /** Any ADMIN may reject (the requester withdraws, or another admin refuses). */
    public Decision reject(UUID id, Actor actor) {
        return tx.execute(status -> {
            Optional<Map<String, Object>> row = lockPending(id);
            if (row.isEmpty()) {
                return request(id).<Decision>map(Decision.NotPending::new).orElseGet(() -> new Decision.NotFound(id));
            }
            AdminRequest r = requestFromMap(row.get());
            decide(id, actor, "REJECTED", null);
            audit.append(new AuditEntry(actor.actor(), "ADMIN_REJECT", null, null, null, null, null,
                    "rejected admin request " + id + " (" + r.action() + ": " + r.summary() + ") of "
                            + r.requestedOwner()));
            return new Decision.Rejected(request(id).orElseThrow());
        });
    }

    private interface Action<T> {
        T run(Actor actor, String note);
    }

    private <T> Outcome<T> perform(Actor actor, String action, String summary, Map<String, Object> payload,
                                   Action<T> now) {
        if (properties.adminFourEyes()) {
            AdminRequest r = tx.execute(status -> {
                UUID id = jdbc.queryForObject("INSERT INTO admin_requests (action, summary, payload, requested_by, "
                                + "requested_owner) VALUES (:action, :summary, CAST(:payload AS jsonb), :by, :owner) "
                                + "RETURNING id",
                        new MapSqlParameterSource().addValue("action", action).addValue("summary", summary)
                                .addValue("payload", JSON.writeValueAsString(payload)).addValue("by", actor.actor())
                                .addValue("owner", actor.owner()), UUID.class);
                audit.append(new AuditEntry(actor.actor(), "ADMIN_REQUEST", null, null, null, null, null,
                        "admin request " + id + " (" + action + ": " + summary + ") waits for a second ADMIN"));
                return request(id).orElseThrow();
            });
            log.info("admin request {} ({}) by {} waits for a second ADMIN", r.id(), action, actor.describe());
            return new Outcome.Pending<>(r);
        }
        T result = tx.execute(status -> now.run(actor, null));
        afterCommit(result);
        return new Outcome.Done<>(result);
    }

    private IssuedKey createKeyNow(Actor actor, Map<String, Object> p, String note) {
        @SuppressWarnings("unchecked")
        List<Role> roles = ((List<String>) p.get("roles")).stream().map(Role::valueOf).toList();
        IssuedKey issued = keys.create((String) p.get("name"), (String) p.get("owner"), roles, actor.actor());
        audit.append(admin(actor, "KEY_CREATE", "created key " + issued.key().id() + " '" + issued.key().name()
                + "' for " + issued.key().owner() + " with roles " + p.get("roles"), note));
        return issued;
    }

    private ApiKeyService.Revocation revokeKeyNow(Actor actor, Map<String, Object> p, String note) {
        ApiKeyService.Revocation r = keys.revoke(UUID.fromString((String) p.get("key")), actor.actor());
        if (r instanceof ApiKeyService.Revocation.Revoked revoked) {
            audit.append(admin(actor, "KEY_REVOKE", "revoked key " + revoked.key().id() + " '" + revoked.key().name()
                    + "' of " + revoked.key().owner(), note));
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private Account registerAccountNow(Actor actor, Map<String, Object> p, String note) {
        Cloud cloud = Cloud.fromSlug("cloud", (String) p.get("cloud"));
        SealedCredentials sealed = SealedCredentials.fromPayloadMap((Map<String, Object>) p.get("credentials"));
        Account a = accounts.create(new NewAccount(cloud, (String) p.get("externalId"), (String) p.get("name"),
                Map.of()), sealed);
        audit.append(admin(actor, "ACCOUNT_REGISTER", "registered " + cloud.slug() + " account " + a.externalId()
                + " '" + a.name() + "' as " + a.id() + fields(sealed), note));
        return a;
    }

    @SuppressWarnings("unchecked")
    private Optional<Account> updateAccountNow(Actor actor, Map<String, Object> p, String note) {
        UUID id = UUID.fromString((String) p.get("account"));
        Map<String, Object> creds = (Map<String, Object>) p.get("credentials");
        Optional<Account> updated = creds == null
                ? accounts.update(id, new AccountUpdate((String) p.get("name"), (Boolean) p.get("enabled")))
                : accounts.update(id, (String) p.get("name"), (Boolean) p.get("enabled"),
                SealedCredentials.fromPayloadMap(creds));
        updated.ifPresent(a -> audit.append(admin(actor, "ACCOUNT_UPDATE", "changed account " + a.id() + " ("
                + a.cloud().slug() + " " + a.externalId() + "):"
                + (p.get("name") == null ? "" : " name '" + p.get("name") + "'")
                + (p.get("enabled") == null ? "" : Boolean.TRUE.equals(p.get("enabled")) ? " enabled" : " disabled")
                + (creds == null ? "" : " credentials replaced" + fields(SealedCredentials.fromPayloadMap(creds))),
                note)));
        return updated;
    }

    private void afterCommit(Object result) {
        // Drops what was built from the old credentials: the cached copy here, and (listeners) executor clients.
        if (result instanceof Optional<?> o && o.isPresent() && o.get() instanceof Account a) {
            credentials.forget(a.cloud(), a.externalId());
            credentialListeners.forEach(l -> l.accept(a));
        }
    }

    private static AuditEntry admin(Actor actor, String action, String detail, String note) {
        return new AuditEntry(actor.actor(), action, null, null, null, null, null,
                note == null ? detail : detail + "; " + note);
    }

    private static String fields(SealedCredentials s) {
        return s.none() ? ", default credential chain" : ", credential fields " + s.fields() + " (fingerprint "
                + s.fingerprint() + ")";
    }

    private static String describe(Object result) {
        if (result instanceof IssuedKey k) {
            return "key " + k.key().id();
        }
        if (result instanceof Account a) {
            return "account " + a.id();
        }
        if (result instanceof Optional<?> o) {
            return o.map(AdminActions::describe).orElse("no such account");
        }
        if (result instanceof ApiKeyService.Revocation r) {
            return r.getClass().getSimpleName();
        }
        return String.valueOf(result);
    }

    private Optional<Map<String, Object>> lockPending(UUID id) {
        return jdbc.queryForList("SELECT *, payload::text AS payload_text FROM admin_requests WHERE id = :id "
                + "AND status = 'PENDING' FOR UPDATE", new MapSqlParameterSource("id", id)).stream().findFirst();
    }

    private void decide(UUID id, Actor actor, String status, String result) {
        jdbc.update("UPDATE admin_requests SET status = :status, decided_by = :by, decided_owner = :owner, "
                        + "decided_at = now(), result = :result WHERE id = :id",
                new MapSqlParameterSource().addValue("id", id).addValue("status", status).addValue("by", actor.actor())
                        .addValue("owner", actor.owner()).addValue("result", result));
    }

    private static AdminRequest requestFromMap(Map<String, Object> m) {
        return new AdminRequest((UUID) m.get("id"), (String) m.get("action"), (String) m.get("summary"),
                (String) m.get("status"), (String) m.get("requested_by"), (String) m.get("requested_owner"),
                instant(m.get("requested_at")), (String) m.get("decided_by"), (String) m.get("decided_owner"),
                instant(m.get("decided_at")), (String) m.get("result"));
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        return Instant.parse(o.toString());
    }

    private static final RowMapper<AdminRequest> REQUEST = (rs, n) -> new AdminRequest(
            rs.getObject("id", UUID.class), rs.getString("action"), rs.getString("summary"), rs.getString("status"),
            rs.getString("requested_by"), rs.getString("requested_owner"), rs.getTimestamp("requested_at").toInstant(),
            rs.getString("decided_by"), rs.getString("decided_owner"),
            rs.getTimestamp("decided_at") == null ? null : rs.getTimestamp("decided_at").toInstant(),
            rs.getString("result"));
}
