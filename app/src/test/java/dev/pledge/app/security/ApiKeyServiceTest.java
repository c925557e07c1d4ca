package dev.pledge.app.security;

import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class ApiKeyServiceTest {
    private ApiKeyService keys;
    private JdbcTemplate sql;

    @BeforeEach
    void emptyKeyTable(TestSchema db) {
        sql = db.jdbc();
        sql.update("DELETE FROM api_keys");
        keys = new ApiKeyService(new NamedParameterJdbcTemplate(db.dataSource()),
                new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())));
    }

    @Test
    void a_key_carries_256_random_bits_and_no_two_keys_are_alike() {
        IssuedKey a = keys.create("a", "a@example.com", EnumSet.of(Role.VIEWER), "test");
        IssuedKey b = keys.create("b", "b@example.com", EnumSet.of(Role.VIEWER), "test");

        assertThat(a.secret()).startsWith(ApiKeyService.KEY_PREFIX);
        byte[] bits = Base64.getUrlDecoder().decode(a.secret().substring(ApiKeyService.KEY_PREFIX.length()));
        assertThat(bits).hasSize(32);
        assertThat(a.secret()).isNotEqualTo(b.secret());
        assertThat(a.toString()).doesNotContain(a.secret());
    }

    @Test
    void only_a_hash_of_the_key_is_stored() {
        IssuedKey issued = keys.create("ci", "ci@example.com", EnumSet.of(Role.REQUESTER, Role.VIEWER), "test");

        Map<String, Object> row = sql.queryForMap("SELECT * FROM api_keys WHERE id = ?", issued.key().id());
        assertThat(row.values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(issued.secret()));
        assertThat(row.get("key_hash")).isEqualTo(ApiKeyService.hash(issued.secret()));
        assertThat(row.get("key_prefix")).isEqualTo(issued.secret().substring(0, 8) + "…");
    }

    @Test
    void an_active_key_authenticates_and_records_when_it_was_last_used() {
        IssuedKey issued = keys.create("ci", "ci@example.com", EnumSet.of(Role.APPROVER), "test");
        assertThat(keys.find(issued.key().id()).orElseThrow().lastUsedAt()).isNull();

        ApiKey found = keys.authenticate(issued.secret(), Duration.ofMinutes(1)).orElseThrow();

        assertThat(found.id()).isEqualTo(issued.key().id());
        assertThat(found.roles()).containsExactly(Role.APPROVER);
        assertThat(found.lastUsedAt()).isNotNull();
        assertThat(keys.find(issued.key().id()).orElseThrow().lastUsedAt()).isEqualTo(found.lastUsedAt());
        assertThat(keys.authenticate(issued.secret() + "x", Duration.ofMinutes(1))).isEmpty();
        assertThat(keys.authenticate("", Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void a_revoked_key_no_longer_authenticates_and_a_second_revoke_changes_nothing() {
        keys.create("admin", "admin@example.com", EnumSet.of(Role.ADMIN), "test");
        IssuedKey issued = keys.create("leaked", "leaked@example.com", EnumSet.of(Role.REQUESTER), "test");

        assertThat(keys.revoke(issued.key().id(), "key:admin")).isInstanceOf(ApiKeyService.Revocation.Revoked.class);

        assertThat(keys.authenticate(issued.secret(), Duration.ofMinutes(1))).isEmpty();
        ApiKey stored = keys.find(issued.key().id()).orElseThrow();
        assertThat(stored.revokedBy()).isEqualTo("key:admin");
        assertThat(stored.revokedAt()).isNotNull();
        assertThat(keys.revoke(issued.key().id(), "key:other"))
                .isInstanceOf(ApiKeyService.Revocation.AlreadyRevoked.class);
        assertThat(keys.find(issued.key().id()).orElseThrow().revokedBy()).isEqualTo("key:admin");
    }

    @Test
    void the_last_active_admin_key_cannot_be_revoked() {
        IssuedKey admin = keys.create("only admin", "only-admin@example.com", EnumSet.of(Role.ADMIN), "test");

        assertThat(keys.revoke(admin.key().id(), "test")).isInstanceOf(ApiKeyService.Revocation.LastAdmin.class);
        assertThat(keys.authenticate(admin.secret(), Duration.ofMinutes(1))).isPresent();
    }

    @Test
    void two_admins_revoking_each_other_at_once_leave_one_admin() throws Exception {
        for (int round = 0; round < 10; round++) {
            sql.update("DELETE FROM api_keys");
            IssuedKey a = keys.create("a", "a@example.com", EnumSet.of(Role.ADMIN), "test");
            IssuedKey b = keys.create("b", "b@example.com", EnumSet.of(Role.ADMIN), "test");
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<ApiKeyService.Revocation>> results = new ArrayList<>();
                for (IssuedKey[] pair : new IssuedKey[][]{{a, b}, {b, a}}) {
                    results.add(threads.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return keys.revoke(pair[1].key().id(), "key:" + pair[0].key().id());
                    }));
                }
                List<ApiKeyService.Revocation> outcomes = new ArrayList<>();
                for (Future<ApiKeyService.Revocation> f : results) {
                    outcomes.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(outcomes).filteredOn(o -> o instanceof ApiKeyService.Revocation.Revoked).hasSize(1);
                assertThat(outcomes).filteredOn(o -> o instanceof ApiKeyService.Revocation.LastAdmin).hasSize(1);
                assertThat(sql.queryForObject("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL", Long.class))
                        .isEqualTo(1);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void roles_given_as_an_immutable_set_or_list_are_accepted_and_a_null_role_is_refused_naming_the_field() {
        assertThat(ApiKeyService.checkRoles(java.util.Set.of(Role.ADMIN))).containsExactly(Role.ADMIN);
        assertThat(ApiKeyService.checkRoles(List.of(Role.VIEWER, Role.APPROVER)))
                .containsExactlyInAnyOrder(Role.VIEWER, Role.APPROVER);
        java.util.List<Role> withNull = new ArrayList<>();
        withNull.add(null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeyService.checkRoles(withNull))
                .isInstanceOfSatisfying(dev.pledge.common.model.ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("roles"));
    }
}
