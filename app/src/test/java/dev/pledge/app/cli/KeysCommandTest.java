package dev.pledge.app.cli;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.CredentialVault;
import dev.pledge.app.account.MasterKey;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.testing.TestDatabase;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `pledge keys rotate-master` on a real database: the new key opens the credentials, the old one is refused. */
class KeysCommandTest {

    @Test
    void rotate_master_rewraps_the_data_keys_and_refuses_a_current_key_that_does_not_match() throws Exception {
        MasterKey old = MasterKey.generate();
        MasterKey fresh = MasterKey.generate();
        try (TestSchema db = TestDatabase.shared().newSchema("keys_command")) {
            NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(db.dataSource());
            new AccountService(jdbc, new CredentialVault(old), null).create(new NewAccount(Cloud.AWS, "121212121212",
                    "to rotate", Map.of("externalId", "rotate-me-please")));
            Map<String, String> env = new HashMap<>(Map.of("PLEDGE_DATABASE_URL", db.url(),
                    "PLEDGE_DATABASE_USER", db.user(), "PLEDGE_MASTER_KEY", base64(old),
                    "PLEDGE_NEW_MASTER_KEY", base64(fresh)));
            if (db.password() != null) {
                env.put("PLEDGE_DATABASE_PASSWORD", db.password());
            }

            CliRun rotated = CliRun.with(env, null, "keys", "rotate-master");

            assertThat(rotated.exitCode).as(rotated.out + rotated.err).isZero();
            assertThat(rotated.out).contains("1 account(s)").contains(old.id() + " -> " + fresh.id());
            assertThat(new AccountService(jdbc, new CredentialVault(fresh), null).credentials(Cloud.AWS, "121212121212")
                    .orElseThrow().get("externalId")).isEqualTo("rotate-me-please");
            assertThat(rotated.out + rotated.err).doesNotContain(base64(old)).doesNotContain(base64(fresh));

            // run again with the old key as "current": refused, nothing changed
            CliRun again = CliRun.with(env, null, "keys", "rotate-master");
            assertThat(again.exitCode).isEqualTo(ExitCode.REFUSED);
            assertThat(again.err).contains("PLEDGE_MASTER_KEY").contains("nothing was changed");
        }
    }

    private static String base64(MasterKey key) {
        return key.encoded();
    }
}
