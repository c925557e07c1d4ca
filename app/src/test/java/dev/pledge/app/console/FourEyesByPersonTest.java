package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People, not keys, across the API and the console: a purchase requested with Rita's API key cannot be
 * approved by Rita signed in at the identity provider (no button, and 403), but Ada can approve it.
 */
@ConsoleAppTest
class FourEyesByPersonTest {
    @LocalServerPort
    int port;
    @Autowired
    ApiKeyService keys;
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;

    @Test
    void a_purchase_made_with_my_key_is_not_mine_to_approve_in_the_console() {
        String rita = "rita-" + UUID.randomUUID() + "@example.com";
        var key = keys.create("rita's pipeline", rita, EnumSet.of(Role.REQUESTER), "test");
        String externalId = String.valueOf(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
        UUID account = accounts.create(new NewAccount(Cloud.AWS, externalId, "four-eyes", null)).id();
        UUID purchase = executions.create(NewExecution.of(key.key().actor(), "made with a key", List.of(
                new NewItem(account, "aws-rds", "us-east-1", "db.r6g.large", 1, "1y", "no-upfront",
                        Map.of("productDescription", "postgresql"))))).detail().execution().id();

        ConsoleHttp asRita = new ConsoleHttp(port);
        asRita.signInWithSso("rita", "{\"email\": \"" + rita + "\", \"groups\": [\"finops-approvers\"]}");
        HttpResponse<String> page = asRita.get("/console/purchases/" + purchase);
        assertThat(page.body()).contains(rita).doesNotContain("id=\"approve\"");
        HttpResponse<String> forged = asRita.post("/console/purchases/" + purchase + "/approve", Map.of());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("four-eyes");

        ConsoleHttp asAda = new ConsoleHttp(port);
        asAda.signInWithSso("ada", "{\"email\": \"ada-" + UUID.randomUUID() + "@example.com\", "
                + "\"groups\": [\"finops-approvers\"]}");
        assertThat(asAda.get("/console/purchases/" + purchase).body()).contains("id=\"approve\"");
        assertThat(asAda.post("/console/purchases/" + purchase + "/approve", Map.of()).statusCode()).isEqualTo(302);
    }
}
