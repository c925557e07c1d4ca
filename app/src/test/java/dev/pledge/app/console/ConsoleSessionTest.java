package dev.pledge.app.console;

import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's session: its cookie's attributes, a new session at sign-in, sign-out that ends it, the
 * demo API-key form, and an API that still takes Bearer keys only and sets no cookie.
 */
@ConsoleAppTest
class ConsoleSessionTest {
    @LocalServerPort
    int port;
    @Autowired
    ApiKeyService keys;

    @Test
    void the_session_cookie_is_http_only_same_site_lax_and_secure_when_the_request_came_over_tls() {
        ConsoleHttp http = new ConsoleHttp(port);
        HttpResponse<String> plain = http.get("/console/sign-in");
        String cookie = plain.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly", "SameSite=Lax").doesNotContain("Secure");

        HttpResponse<String> tls = new ConsoleHttp(port).send(HttpRequest.newBuilder(URI.create(http.base
                + "/console/sign-in")).header("X-Forwarded-Proto", "https").GET());
        assertThat(tls.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure", "HttpOnly",
                "SameSite=Lax");
    }

    @Test
    void signing_in_with_a_key_starts_a_new_session_and_signing_out_ends_it() {
        String secret = keys.create("session viewer", "session viewer", EnumSet.of(Role.VIEWER), "test").secret();
        ConsoleHttp http = new ConsoleHttp(port);
        http.get("/console/sign-in");
        String before = session(http);

        HttpResponse<String> signedIn = http.signInWithKey(secret);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(ConsoleHttp.location(signedIn)).endsWith("/console");
        String after = session(http);
        assertThat(after).as("session fixation: the id before sign-in must not survive it").isNotEqualTo(before);
        HttpResponse<String> home = http.get("/console");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("session viewer", "(VIEWER)");

        assertThat(http.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(302);
        ConsoleHttp stolen = new ConsoleHttp(port);
        HttpResponse<String> replay = stolen.send(HttpRequest.newBuilder(URI.create(http.base + "/console"))
                .header("Cookie", "JSESSIONID=" + after).GET());
        assertThat(replay.statusCode()).as("the signed-out session's cookie").isEqualTo(302);
        assertThat(ConsoleHttp.location(replay)).endsWith("/console/sign-in");
    }

    @Test
    void signing_in_at_the_identity_provider_starts_a_new_session() {
        ConsoleHttp http = new ConsoleHttp(port);
        http.get("/console/sign-in");
        String before = session(http);
        HttpResponse<String> r = http.signInWithSso("sam", "{\"email\": \"sam@example.com\", \"groups\": [\"VIEWER\"]}");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(session(http)).isNotEqualTo(before);
        assertThat(http.get("/console").body()).contains("sam@example.com", "(VIEWER)");
    }

    @Test
    void a_wrong_or_revoked_key_is_refused_on_the_sign_in_page() {
        var issued = keys.create("soon revoked", "soon revoked", EnumSet.of(Role.ADMIN, Role.VIEWER), "test");
        ConsoleHttp http = new ConsoleHttp(port);
        HttpResponse<String> wrong = http.signInWithKey("pk_not-a-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not valid or has been revoked", "id=\"apiKey\"");
        keys.revoke(issued.key().id(), "test");
        assertThat(http.signInWithKey(issued.secret()).statusCode()).isEqualTo(401);
        assertThat(http.get("/console").statusCode()).isEqualTo(302);
    }

    @Test
    void a_sign_in_post_without_its_csrf_token_is_refused() {
        String secret = keys.create("csrf viewer", "csrf viewer", EnumSet.of(Role.VIEWER), "test").secret();
        ConsoleHttp http = new ConsoleHttp(port);
        http.get("/console/sign-in");
        HttpResponse<String> r = http.postRaw("/console/sign-in/key", ConsoleHttp.form(Map.of("apiKey", secret)));
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void the_api_takes_bearer_keys_sets_no_cookie_and_ignores_a_console_session() {
        String secret = keys.create("api viewer", "api viewer", EnumSet.of(Role.VIEWER), "test").secret();
        ConsoleHttp http = new ConsoleHttp(port);
        assertThat(http.signInWithKey(secret).statusCode()).isEqualTo(302);

        HttpResponse<String> withKey = new ConsoleHttp(port).send(HttpRequest.newBuilder(URI.create(http.base
                + "/api/v1/purchases")).header("Authorization", "Bearer " + secret).GET());
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(withKey.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> withSession = http.send(HttpRequest.newBuilder(URI.create(http.base
                + "/api/v1/purchases")).GET());
        assertThat(withSession.statusCode()).as("a console session cookie is not an API credential").isEqualTo(401);
    }

    private static String session(ConsoleHttp http) {
        List<java.net.HttpCookie> cookies = http.cookies();
        return cookies.stream().filter(c -> c.getName().equals("JSESSIONID")).map(java.net.HttpCookie::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void a_failure_on_a_console_page_is_a_console_page() {
        String secret = keys.create("errors admin", "errors admin", EnumSet.of(Role.ADMIN), "test").secret();
        ConsoleHttp http = new ConsoleHttp(port);
        assertThat(http.signInWithKey(secret).statusCode()).isEqualTo(302);
        http.get("/console");
        HttpResponse<String> r = http.post("/console/admin/accounts/not-an-id/disable", Map.of());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("There is no such", "not-an-id");
        assertThat(http.get("/console/purchases/not-an-id").body()).contains("There is no purchase not-an-id");
    }

    @Test
    void home_shows_a_section_another_capability_contributes_only_to_whom_it_gives_data() {
        ConsoleHttp owner = new ConsoleHttp(port);
        owner.signInWithKey(keys.create(TestHomePanels.PERSON, TestHomePanels.PERSON, EnumSet.of(Role.VIEWER), "test").secret());
        assertThat(owner.get("/console").body()).contains("id=\"test-budgets\"", "platform: 40 % of 10000 USD used");

        ConsoleHttp other = new ConsoleHttp(port);
        other.signInWithKey(keys.create("not the budget owner", "not the budget owner", EnumSet.of(Role.VIEWER), "test").secret());
        assertThat(other.get("/console").body()).doesNotContain("test-budgets", "Budgets used");
    }
}
