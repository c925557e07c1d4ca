package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.AccountUpdate;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The new-purchase form checks what the API checks, names the field as the API does, and a dry run stores nothing. */
@ConsoleAppTest
class NewPurchaseFormTest {
    @LocalServerPort
    int port;
    @Autowired
    ApiKeyService keys;
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;

    private ConsoleHttp http;
    private UUID account;

    @BeforeEach
    void requester() {
        http = new ConsoleHttp(port);
        assertThat(http.signInWithKey(keys.create("form requester", "form requester", EnumSet.of(Role.REQUESTER), "test").secret())
                .statusCode()).isEqualTo(302);
        http.get("/console/purchases/new");
        String externalId = String.valueOf(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
        account = accounts.create(new NewAccount(Cloud.AWS, externalId, "form", null)).id();
    }

    private Map<String, String> form(String action) {
        Map<String, String> f = new HashMap<>(Map.of("action", action, "account", account.toString(), "type", "aws-rds",
                "region", "us-east-1", "offering", "db.r6g.large", "quantity", "2", "term", "1y",
                "payment", "no-upfront", "attributes", "productDescription=postgresql"));
        f.put("description", "form test");
        return f;
    }

    private long total() {
        return executions.summary().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void bad_input_is_refused_naming_the_field_as_the_api_does_and_nothing_is_stored() {
        long before = total();
        Map<String, String> noQuantity = form("submit");
        noQuantity.put("quantity", "two");
        HttpResponse<String> r = http.post("/console/purchases/new", noQuantity);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("items[0].quantity: must be a whole number");

        Map<String, String> wrongTerm = form("submit");
        wrongTerm.put("term", "2y");
        assertThat(http.post("/console/purchases/new", wrongTerm).body()).contains("items[0].term");

        accounts.update(account, new AccountUpdate(null, false));
        HttpResponse<String> disabled = http.post("/console/purchases/new", form("quote"));
        assertThat(disabled.statusCode()).isEqualTo(400);
        assertThat(disabled.body()).contains("items[0].account", "disabled");
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void a_dry_run_shows_the_price_and_stores_nothing_and_a_request_stores_one_purchase() {
        long before = total();
        HttpResponse<String> quote = http.post("/console/purchases/new", form("quote"));
        assertThat(quote.statusCode()).isEqualTo(200);
        assertThat(quote.body()).contains("Dry run", "2 × db.r6g.large").containsPattern("\\d+(\\.\\d+)? USD");
        assertThat(total()).isEqualTo(before);

        HttpResponse<String> created = http.post("/console/purchases/new", form("submit"));
        assertThat(created.statusCode()).isEqualTo(302);
        assertThat(ConsoleHttp.location(created)).contains("/console/purchases/");
        assertThat(total()).isEqualTo(before + 1);
        String id = ConsoleHttp.location(created).replaceAll(".*/console/purchases/", "");
        assertThat(http.post("/console/purchases/" + id + "/cancel", Map.of()).statusCode())
                .as("the requester cancels her own").isEqualTo(302);
    }
}
