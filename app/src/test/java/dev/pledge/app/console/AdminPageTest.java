package dev.pledge.app.console;

import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Admin: a new key is shown once and works; account secrets are written and never shown. */
@ConsoleAppTest
class AdminPageTest {
    @LocalServerPort
    int port;
    @Autowired
    ApiKeyService keys;

    private ConsoleHttp admin() {
        ConsoleHttp http = new ConsoleHttp(port);
        assertThat(http.signInWithKey(keys.create("admin page", "admin page", EnumSet.of(Role.ADMIN), "test").secret())
                .statusCode()).isEqualTo(302);
        http.get("/console/admin");
        return http;
    }

    @Test
    void a_created_key_is_shown_once_not_cached_and_signs_in() {
        ConsoleHttp http = admin();
        HttpResponse<String> created = http.post("/console/admin/keys", Map.of("name", "ci pipeline " + UUID.randomUUID(),
                "owner", "ci-owner@example.com", "roles", "VIEWER"));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        Matcher key = Pattern.compile("id=\"issued-key\">(pk_[A-Za-z0-9_-]+)<").matcher(created.body());
        assertThat(key.find()).as(created.body()).isTrue();
        String secret = key.group(1);
        assertThat(http.get("/console/admin").body()).doesNotContain(secret).contains("ci-owner@example.com");
        assertThat(new ConsoleHttp(port).signInWithKey(secret).statusCode()).isEqualTo(302);
    }

    @Test
    void account_credentials_are_written_and_never_shown() {
        ConsoleHttp http = admin();
        String secretValue = "s3cr3t-" + UUID.randomUUID();
        HttpResponse<String> registered = http.post("/console/admin/accounts", Map.of("cloud", "azure",
                "externalId", "sub-" + UUID.randomUUID(), "name", "billing " + secretValue.substring(7, 15),
                "credentials", "tenantId=t\nclientId=c\nclientSecret=" + secretValue));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(302);
        String page = http.get("/console/admin").body();
        assertThat(page).contains("clientSecret", "(values not shown)").doesNotContain(secretValue);

        HttpResponse<String> bad = http.post("/console/admin/accounts", Map.of("cloud", "aws", "externalId", "",
                "name", "x", "credentials", ""));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("externalId:");
    }
}
