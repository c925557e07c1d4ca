package dev.pledge.app.account;

import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class AccountServiceTest {
    private final AccountService accounts;
    private final TestSchema db;

    AccountServiceTest(TestSchema db) {
        this.db = db;
        this.accounts = new AccountService(new NamedParameterJdbcTemplate(db.dataSource()));
    }

    @Test
    void an_account_is_stored_with_its_credentials_and_found_by_the_executors_credential_source() {
        Account created = accounts.create(new NewAccount(Cloud.AWS, "111122223333", " Payer ", Map.of(
                "roleArn", "arn:aws:iam::111122223333:role/pledge", "externalId", "s3cr3t-external-id")));

        assertThat(created.name()).isEqualTo("Payer");
        assertThat(created.enabled()).isTrue();
        assertThat(accounts.find(created.id())).contains(created);
        AccountCredentials credentials = new AccountCredentialSource(accounts).forAccount(Cloud.AWS, "111122223333");
        assertThat(credentials.get("externalId")).isEqualTo("s3cr3t-external-id");
        assertThat(credentials.toString()).doesNotContain("s3cr3t-external-id");
        assertThat(new AccountCredentialSource(accounts).forAccount(Cloud.GCP, "111122223333"))
                .isEqualTo(AccountCredentials.DEFAULT_CHAIN);
    }

    @Test
    void an_account_can_be_renamed_disabled_and_enabled() {
        Account a = accounts.create(new NewAccount(Cloud.AZURE, "/subscriptions/0000-1111", "sub", Map.of()));

        Account renamed = accounts.update(a.id(), new AccountUpdate("Subscription A", null)).orElseThrow();
        Account disabled = accounts.update(a.id(), new AccountUpdate(null, false)).orElseThrow();

        assertThat(renamed.name()).isEqualTo("Subscription A");
        assertThat(renamed.enabled()).isTrue();
        assertThat(disabled.name()).isEqualTo("Subscription A");
        assertThat(disabled.enabled()).isFalse();
        assertThat(accounts.update(UUID.randomUUID(), new AccountUpdate("x", true))).isEmpty();
        assertThat(accounts.list()).extracting(Account::id).contains(a.id());
    }

    @Test
    void a_second_account_with_the_same_cloud_and_external_id_is_refused_and_nothing_is_written() {
        accounts.create(new NewAccount(Cloud.GCP, "project-one", "one", Map.of()));
        int before = db.jdbc().queryForObject("SELECT count(*) FROM accounts", Integer.class);

        assertThatThrownBy(() -> accounts.create(new NewAccount(Cloud.GCP, "project-one", "again", Map.of())))
                .isInstanceOf(ValidationException.class)
                .hasMessage("externalId: an gcp account 'project-one' is registered already");
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM accounts", Integer.class)).isEqualTo(before);
    }

    @Test
    void bad_account_input_names_the_field() {
        assertThatThrownBy(() -> new NewAccount(null, "x", "n", Map.of()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("cloud:");
        assertThatThrownBy(() -> new NewAccount(Cloud.AWS, " bad id", "n", Map.of()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("externalId:");
        assertThatThrownBy(() -> new NewAccount(Cloud.AWS, "123", "", Map.of()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> new NewAccount(Cloud.AWS, "123", "n", Map.of("1bad", "v")))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("credentials:");
        assertThatThrownBy(() -> new AccountUpdate("\u0007", null))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("name:");
    }
}
