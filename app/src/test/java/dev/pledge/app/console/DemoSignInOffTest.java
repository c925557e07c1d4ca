package dev.pledge.app.console;

import dev.pledge.app.web.WebApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Outside demo mode (and with no identity provider configured) the API-key form neither shows nor works. */
@WebApiTest
class DemoSignInOffTest {
    @LocalServerPort
    int port;

    @Test
    void outside_demo_mode_there_is_no_api_key_form_and_posting_one_finds_nothing() {
        ConsoleHttp http = new ConsoleHttp(port);
        HttpResponse<String> page = http.get("/console/sign-in");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("apiKey").contains("Sign-in is not configured");

        // no form, so no CSRF token to send: refused before the controller (which answers 404 outside demo mode)
        HttpResponse<String> posted = http.post("/console/sign-in/key", Map.of("apiKey", WebApiTest.ADMIN_KEY));
        assertThat(posted.statusCode()).isIn(403, 404);
        assertThat(http.get("/console").statusCode()).as("still not signed in").isEqualTo(302);
    }
}
