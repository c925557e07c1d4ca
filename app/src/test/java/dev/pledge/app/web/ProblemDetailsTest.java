package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors outside the request bodies are problems too, and no key ever reaches the log whole. */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ProblemDetailsTest {
    @LocalServerPort
    int port;

    private Http http;

    @BeforeAll
    void client() {
        http = new Http(port);
    }

    @Test
    void an_unknown_endpoint_is_a_404_problem() {
        Http.Response r = http.get("/api/v1/no-such-endpoint", WebApiTest.ADMIN_KEY);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:pledge:problem:not-found");
        assertThat(r.detail()).contains("/api/v1/no-such-endpoint");
    }

    @Test
    void a_method_an_endpoint_does_not_take_is_a_405_problem_listing_the_allowed_ones() {
        Http.Response r = http.send("PUT", "/api/v1/purchases", WebApiTest.ADMIN_KEY, "application/json", "{}",
                Map.of());

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.header("Allow")).contains("GET").contains("POST");
        assertThat(r.detail()).contains("PUT");
    }

    @Test
    void the_error_page_asked_for_directly_is_a_404_problem() {
        Http.Response r = http.get("/error", null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void no_api_key_reaches_the_log_whole_when_created_used_mistyped_and_revoked(CapturedOutput output) {
        Http.Response created = http.post("/api/v1/keys", WebApiTest.ADMIN_KEY, Map.of("name", "logged?", "owner", "logged@example.com",
                "roles", List.of("VIEWER")));
        String secret = created.json().path("key").asString();
        String id = created.json().path("id").asString();

        assertThat(http.get("/api/v1/accounts", secret).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/accounts", secret + "typo").status()).isEqualTo(401);
        assertThat(http.delete("/api/v1/keys/" + id, WebApiTest.ADMIN_KEY).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/accounts", secret).status()).isEqualTo(401);

        assertThat(output.getAll()).contains("API key " + id).doesNotContain(secret)
                .doesNotContain(secret.substring(8)).doesNotContain(WebApiTest.ADMIN_KEY);
    }
}
