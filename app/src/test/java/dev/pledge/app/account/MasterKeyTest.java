package dev.pledge.app.account;

import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The master key: rotation re-wraps every data key, a wrong key stops the start, and none at all too. */
@ExtendWith(PostgresExtension.class)
class MasterKeyTest {
    private NamedParameterJdbcTemplate jdbc;
    private TransactionTemplate tx;
    private final MasterKey first = MasterKey.generate();

    @BeforeEach
    void setUp(TestSchema db) {
        jdbc = new NamedParameterJdbcTemplate(db.dataSource());
        tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
        db.jdbc().update("DELETE FROM accounts");
    }

    @Test
    void rotation_rewraps_every_data_key_and_the_old_master_key_no_longer_opens_them() throws Exception {
        AccountService before = new AccountService(jdbc, new CredentialVault(first), null);
        before.create(new NewAccount(Cloud.AZURE, "/subscriptions/rotate-1", "one", Map.of("clientSecret", "s3cr3t-one")));
        before.create(new NewAccount(Cloud.AZURE, "/subscriptions/rotate-2", "two", Map.of("clientSecret", "s3cr3t-two")));
        String fingerprint = before.findByExternalId(Cloud.AZURE, "/subscriptions/rotate-1").orElseThrow()
                .credentialsFingerprint();
        byte[] sealedBefore = jdbc.getJdbcTemplate().queryForObject("SELECT credentials_sealed FROM accounts WHERE "
                + "external_id = '/subscriptions/rotate-1'", byte[].class);
        MasterKey second = MasterKey.generate();

        MasterKeyRotation.Rotated r = MasterKeyRotation.rotate(jdbc, tx, first, second);

        assertThat(r.accounts()).isEqualTo(2);
        AccountService after = new AccountService(jdbc, new CredentialVault(second), null);
        assertThat(after.credentials(Cloud.AZURE, "/subscriptions/rotate-1").orElseThrow().get("clientSecret"))
                .isEqualTo("s3cr3t-one");
        assertThat(after.credentials(Cloud.AZURE, "/subscriptions/rotate-2").orElseThrow().get("clientSecret"))
                .isEqualTo("s3cr3t-two");
        assertThat(after.findByExternalId(Cloud.AZURE, "/subscriptions/rotate-1").orElseThrow()
                .credentialsFingerprint()).isEqualTo(fingerprint);
        assertThat(jdbc.getJdbcTemplate().queryForObject("SELECT credentials_sealed FROM accounts WHERE "
                + "external_id = '/subscriptions/rotate-1'", byte[].class)).isEqualTo(sealedBefore);
        // the old master key cannot unwrap the stored data keys any more, even ignoring the key id
        byte[] wrapped = jdbc.getJdbcTemplate().queryForObject("SELECT data_key_wrapped FROM accounts WHERE "
                + "external_id = '/subscriptions/rotate-1'", byte[].class);
        assertThatThrownBy(() -> first.unwrap(wrapped)).isInstanceOf(java.security.GeneralSecurityException.class);
        assertThatThrownBy(() -> before.credentials(Cloud.AZURE, "/subscriptions/rotate-1"))
                .isInstanceOf(CredentialVault.WrongMasterKeyException.class);
    }

    @Test
    void a_wrong_master_key_fails_at_start_naming_the_setting() {
        new AccountService(jdbc, new CredentialVault(first), null).create(new NewAccount(Cloud.AWS, "123412341234",
                "sealed", Map.of("externalId", "abcdef")));
        CredentialVault wrong = new CredentialVault(MasterKey.generate());

        assertThatThrownBy(() -> new CredentialsConfiguration().credentialsAtRest(jdbc, tx, wrong, new MockEnvironment()).afterPropertiesSet())
                .isInstanceOf(CredentialVault.WrongMasterKeyException.class)
                .hasMessageContaining("PLEDGE_MASTER_KEY").hasMessageContaining(first.id());
    }

    @Test
    void clear_text_credentials_of_earlier_versions_are_sealed_at_start() throws Exception {
        jdbc.getJdbcTemplate().update("INSERT INTO accounts (cloud, external_id, name, credentials) VALUES "
                + "('aws', '999988887777', 'old', '{\"externalId\": \"old-clear-secret\"}')");

        new CredentialsConfiguration().credentialsAtRest(jdbc, tx, new CredentialVault(first), new MockEnvironment()).afterPropertiesSet();

        assertThat(jdbc.getJdbcTemplate().queryForObject("SELECT credentials::text FROM accounts WHERE "
                + "external_id = '999988887777'", String.class)).isEqualTo("{}");
        assertThat(new AccountService(jdbc, new CredentialVault(first), null).credentials(Cloud.AWS, "999988887777")
                .orElseThrow().get("externalId")).isEqualTo("old-clear-secret");
    }

    @Test
    void without_a_master_key_the_service_refuses_real_clouds_naming_the_setting_and_a_bad_key_is_named_too() {
        assertThatThrownBy(() -> CredentialsConfiguration.masterKey(new MockEnvironment()))
                .hasMessageContaining("PLEDGE_MASTER_KEY").hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> CredentialsConfiguration.masterKey(new MockEnvironment()
                .withProperty("PLEDGE_MASTER_KEY", "too-short"))).hasMessageContaining("PLEDGE_MASTER_KEY")
                .hasMessageContaining("32");
        assertThat(CredentialsConfiguration.masterKey(new MockEnvironment()
                .withProperty("pledge.cloud.endpoint", "http://127.0.0.1:1"))).isNotNull();
        assertThat(MasterKey.parse("x", "00".repeat(32)).toString()).doesNotContain("0000");
    }
}
