package dev.pledge.app.security;

import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.ValidationException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Creates, finds, lists and revokes API keys. A key is 256 random bits; only its SHA-256 is stored
 * (a key that random needs no slow hash), so a leaked table does not leak working keys.
 */
@Service
public class ApiKeyService {
    /** Keys start with this, so a leaked one is recognisable in a scanner. */
    public static final String KEY_PREFIX = "pk_";
    public static final int MAX_NAME = 100;
    public static final int MAX_OWNER = 200;
    /** Taken while changing which keys are active, so two transactions cannot revoke the last two admins. */
    private static final long KEY_CHANGE_LOCK = 0x706c656467654bL;
    private static final String COLUMNS = "id, name, owner, key_prefix, roles, created_by, created_at, last_used_at, "
            + "revoked_by, revoked_at";
    private static final RowMapper<ApiKey> ROW = (rs, n) -> new ApiKey(rs.getObject("id", UUID.class),
            rs.getString("name"), rs.getString("owner"), rs.getString("key_prefix"), roles(rs.getArray("roles")),
            rs.getString("created_by"), instant(rs.getTimestamp("created_at")),
            instant(rs.getTimestamp("last_used_at")), rs.getString("revoked_by"),
            instant(rs.getTimestamp("revoked_at")));

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SecureRandom random = new SecureRandom();

    public ApiKeyService(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Creates a key with fresh random bits; the returned secret is the only copy. */
    public IssuedKey create(String name, String owner, Collection<Role> roles, String createdBy) {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        ApiKey key = insert(checkName(name), checkOwner(owner), checkRoles(roles), createdBy, secret).orElseThrow(
                () -> new IllegalStateException("a freshly generated API key collided with a stored one"));
        return new IssuedKey(key, secret);
    }

    /**
     * Stores a key chosen outside (the bootstrap admin key); nothing happens when a key with the
     * same secret is stored already, revoked or not.
     */
    Optional<ApiKey> importKey(String name, String owner, Collection<Role> roles, String createdBy, String secret) {
        return insert(checkName(name), checkOwner(owner), checkRoles(roles), createdBy, secret);
    }

    private Optional<ApiKey> insert(String name, String owner, Set<Role> roles, String createdBy, String secret) {
        return jdbc.query("INSERT INTO api_keys (name, owner, key_hash, key_prefix, roles, created_by) "
                        + "VALUES (:name, :owner, :hash, :prefix, CAST(:roles AS text[]), :createdBy) "
                        + "ON CONFLICT (key_hash) DO NOTHING RETURNING " + COLUMNS,
                new MapSqlParameterSource()
                        .addValue("name", name)
                        .addValue("owner", owner)
                        .addValue("hash", hash(secret))
                        .addValue("prefix", Masking.mask(secret))
                        .addValue("roles", roles.stream().map(Enum::name).sorted().toArray(String[]::new))
                        .addValue("createdBy", createdBy),
                ROW).stream().findFirst();
    }

    /**
     * The active key with this secret, if any. Its last-used time is brought up to date in the same
     * statement when it is older than {@code resolution} (so a busy key is not written on every request).
     */
    public Optional<ApiKey> authenticate(String secret, Duration resolution) {
        if (secret == null || secret.isBlank() || secret.length() > 512) {
            return Optional.empty();
        }
        return jdbc.query("WITH found AS (SELECT " + COLUMNS + " FROM api_keys "
                        + "  WHERE key_hash = :hash AND revoked_at IS NULL), "
                        + "touched AS (UPDATE api_keys k SET last_used_at = now() FROM found "
                        + "  WHERE k.id = found.id AND (k.last_used_at IS NULL "
                        + "    OR k.last_used_at < now() - CAST(:resolution AS interval)) RETURNING k.last_used_at) "
                        + "SELECT found.id, found.name, found.owner, found.key_prefix, found.roles, found.created_by, "
                        + "  found.created_at, coalesce((SELECT last_used_at FROM touched), found.last_used_at) "
                        + "  AS last_used_at, found.revoked_by, found.revoked_at FROM found",
                new MapSqlParameterSource().addValue("hash", hash(secret))
                        .addValue("resolution", resolution.toMillis() + " milliseconds"),
                ROW).stream().findFirst();
    }

    public List<ApiKey> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id", ROW);
    }

    public Optional<ApiKey> find(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id", new MapSqlParameterSource("id", id),
                ROW).stream().findFirst();
    }

    /**
     * The person behind an actor: the owner of the key for {@code key:<id>}, else the actor itself
     * (workers, sweeps, tools). A key id that is not stored is its own owner.
     */
    public String ownerOf(String actor) {
        if (actor != null && actor.startsWith("key:")) {
            try {
                UUID id = UUID.fromString(actor.substring(4));
                return find(id).map(ApiKey::owner).orElse(actor);
            } catch (IllegalArgumentException notAKeyId) {
                return actor;
            }
        }
        return actor;
    }

    /** How many different people hold an active ADMIN key. */
    public long activeAdminOwners() {
        Long n = jdbc.queryForObject("SELECT count(DISTINCT owner) FROM api_keys WHERE revoked_at IS NULL "
                + "AND 'ADMIN' = ANY (roles)", new MapSqlParameterSource(), Long.class);
        return n == null ? 0 : n;
    }

    /** True when at least one key that is not revoked exists. */
    public boolean anyActive() {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)", new MapSqlParameterSource(),
                Boolean.class));
    }

    /** What a revoke did. */
    public sealed interface Revocation {
        record Revoked(ApiKey key) implements Revocation {
        }

        record AlreadyRevoked(ApiKey key) implements Revocation {
        }

        /** Refused: it is the last active ADMIN key, and without one nobody could manage keys any more. */
        record LastAdmin(ApiKey key) implements Revocation {
        }

        record NotFound(UUID id) implements Revocation {
        }
    }

    /** Revokes in the caller's transaction when there is one (an admin action writes its audit row in it). */
    public Revocation revoke(UUID id, String actor) {
        return tx.execute(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(:lock)", new MapSqlParameterSource("lock", KEY_CHANGE_LOCK));
            Optional<ApiKey> key = find(id);
            if (key.isEmpty()) {
                return new Revocation.NotFound(id);
            }
            if (key.get().revoked()) {
                return new Revocation.AlreadyRevoked(key.get());
            }
            if (key.get().roles().contains(Role.ADMIN) && activeAdmins() <= 1) {
                return new Revocation.LastAdmin(key.get());
            }
            ApiKey revoked = jdbc.queryForObject("UPDATE api_keys SET revoked_at = now(), revoked_by = :actor "
                            + "WHERE id = :id AND revoked_at IS NULL RETURNING " + COLUMNS,
                    new MapSqlParameterSource("id", id).addValue("actor", actor), ROW);
            return new Revocation.Revoked(revoked);
        });
    }

    /**
     * Runs {@code work} while holding the key-change lock, so two replicas starting at once do not
     * both decide that no key exists.
     */
    <T> T underKeyChangeLock(java.util.function.Supplier<T> work) {
        return tx.execute(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(:lock)", new MapSqlParameterSource("lock", KEY_CHANGE_LOCK));
            return work.get();
        });
    }

    private long activeAdmins() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL AND 'ADMIN' = ANY (roles)",
                new MapSqlParameterSource(), Long.class);
        return n == null ? 0 : n;
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("name", "is required: what the key is for, e.g. 'ci-pipeline'");
        }
        String trimmed = name.trim();
        if (trimmed.length() > MAX_NAME || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("name", "must be at most " + MAX_NAME + " characters with no control "
                    + "characters");
        }
        return trimmed;
    }

    /** An owner is a person's stable identity: an email address or an identity provider's subject. */
    public static String checkOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new ValidationException("owner", "is required: the person the key belongs to, e.g. "
                    + "'alice@example.com' (four-eyes compares owners)");
        }
        String trimmed = owner.trim();
        if (trimmed.length() > MAX_OWNER || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("owner", "must be at most " + MAX_OWNER + " characters with no control "
                    + "characters");
        }
        return trimmed;
    }

    static String checkOwnerSetting(String property, String owner) {
        try {
            return checkOwner(owner);
        } catch (ValidationException e) {
            throw new IllegalArgumentException(property + " " + e.problem());
        }
    }

    static Set<Role> checkRoles(Collection<Role> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new ValidationException("roles", "at least one role is required; allowed: " + Role.allowed());
        }
        // stream rather than contains(null): immutable collections (Set.of, List.of) throw on a null probe
        if (roles.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ValidationException("roles", "must not contain null; allowed: " + Role.allowed());
        }
        return EnumSet.copyOf(roles);
    }

    private static Set<Role> roles(Array array) throws SQLException {
        String[] names = (String[]) array.getArray();
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(names).map(Role::valueOf).forEach(roles::add);
        return roles;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
