package dev.pledge.app.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad keys from one address: a burst is answered 401, then 429 with Retry-After, good keys included. */
@WebApiTest
@TestPropertySource(properties = {"pledge.api.bad-key-burst=3", "pledge.api.bad-key-refill=1h"})
class BadKeyLimitTest {
    @LocalServerPort
    int port;

    @Test
    void after_a_burst_of_bad_keys_the_address_gets_429_with_retry_after_and_the_metric_counts_it() {
        Http http = new Http(port);
        assertThat(http.get("/api/v1/accounts", WebApiTest.ADMIN_KEY).status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/api/v1/accounts", "pk_guess_" + i).status()).isEqualTo(401);
        }

        Http.Response limited = http.get("/api/v1/accounts", "pk_guess_4");
        Http.Response evenTheRightKey = http.get("/api/v1/accounts", WebApiTest.ADMIN_KEY);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("3600");
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(limited.json().path("type").asString()).isEqualTo("urn:pledge:problem:too-many-bad-keys");
        // while the bucket is empty no key is even looked up: guessing gains nothing
        assertThat(evenTheRightKey.status()).isEqualTo(429);
        // requests without a key are not limited (health checks, documents)
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }
}
