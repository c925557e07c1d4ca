package dev.pledge.app.account;

import dev.pledge.app.testing.CommitCountingDataSource;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.AccountCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class AccountCredentialSourceTest {

    @Test
    void a_found_account_is_read_once_per_ttl_and_an_unknown_one_every_time(TestSchema db) {
        CommitCountingDataSource counted = new CommitCountingDataSource(db.dataSource());
        AccountService accounts = new AccountService(new NamedParameterJdbcTemplate(counted));
        AtomicLong now = new AtomicLong();
        AccountCredentialSource source = new AccountCredentialSource(accounts, Duration.ofSeconds(30), now::get);
        accounts.create(new NewAccount(Cloud.AWS, "210987654321", "payer",
                Map.of("roleArn", "arn:aws:iam::210987654321:role/pledge")));
        long before = counted.commits();

        for (int i = 0; i < 5; i++) {
            assertThat(source.forAccount(Cloud.AWS, "210987654321").get("roleArn"))
                    .isEqualTo("arn:aws:iam::210987654321:role/pledge");
        }
        assertThat(counted.commits() - before).as("one lookup within the TTL").isEqualTo(1);

        now.addAndGet(Duration.ofSeconds(31).toNanos());
        source.forAccount(Cloud.AWS, "210987654321");
        assertThat(counted.commits() - before).as("looked up again after the TTL").isEqualTo(2);

        // an unknown account is not remembered: registered a moment later, it is found at once
        assertThat(source.forAccount(Cloud.AWS, "210987654322")).isEqualTo(AccountCredentials.DEFAULT_CHAIN);
        accounts.create(new NewAccount(Cloud.AWS, "210987654322", "late",
                Map.of("roleArn", "arn:aws:iam::210987654322:role/pledge")));
        assertThat(source.forAccount(Cloud.AWS, "210987654322").get("roleArn"))
                .isEqualTo("arn:aws:iam::210987654322:role/pledge");
        // the same external id in another cloud is another account
        assertThat(source.forAccount(Cloud.GCP, "210987654321")).isEqualTo(AccountCredentials.DEFAULT_CHAIN);
    }
}
