package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Idempotency-Key}: the same key and body give the same purchase; the same key and another body, 409. */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyKeyTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;
    private String account;
    private String requester;

    @BeforeAll
    void setUp() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        account = fixture.awsAccount();
        requester = fixture.key("idempotent requester", "REQUESTER");
    }

    @Test
    void the_same_key_with_the_same_body_returns_the_same_purchase_and_writes_it_once() {
        String key = UUID.randomUUID().toString();

        Http.Response first = http.post("/api/v1/purchases", requester, ApiFixture.purchase(account),
                Map.of("Idempotency-Key", key));
        Http.Response again = http.post("/api/v1/purchases", requester, ApiFixture.purchase(account),
                Map.of("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(rowsWithKey(key)).isEqualTo(1);
    }

    @Test
    void whitespace_and_field_order_do_not_make_a_body_different() {
        String key = UUID.randomUUID().toString();
        String compact = "{\"description\":\"same\",\"items\":[{\"type\":\"aws-rds\",\"account\":\"" + account
                + "\",\"region\":\"us-east-1\",\"offering\":\"db.r6g.large\",\"quantity\":2,\"term\":\"1y\","
                + "\"payment\":\"no-upfront\",\"attributes\":{\"multiAz\":\"false\",\"productDescription\":\"postgresql\"}}]}";
        String reordered = "{ \"items\": [ { \"attributes\": {\"productDescription\": \"postgresql\", \"multiAz\": \"false\"}, \"payment\": \"no-upfront\","
                + " \"term\": \"1y\", \"quantity\": 2, \"offering\": \"db.r6g.large\", \"region\": \"us-east-1\","
                + " \"account\": \"" + account + "\", \"type\": \"aws-rds\" } ],\n  \"description\": \"same\" }";

        Http.Response first = http.post("/api/v1/purchases", requester, compact, Map.of("Idempotency-Key", key));
        Http.Response again = http.post("/api/v1/purchases", requester, reordered, Map.of("Idempotency-Key", key));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
    }

    @Test
    void the_same_key_with_another_body_is_409_and_writes_nothing() {
        String key = UUID.randomUUID().toString();
        Http.Response first = http.post("/api/v1/purchases", requester, ApiFixture.purchase(account),
                Map.of("Idempotency-Key", key));
        Map<String, Object> other = ApiFixture.purchase(account);
        other.put("description", "three nodes, not two");
        long before = sql.queryForObject("SELECT count(*) FROM executions", Long.class);

        Http.Response conflict = http.post("/api/v1/purchases", requester, other, Map.of("Idempotency-Key", key));

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().path("type").asString()).isEqualTo("urn:pledge:problem:idempotency-key-reused");
        assertThat(conflict.field()).isEqualTo("Idempotency-Key");
        assertThat(conflict.json().path("purchase").asString()).isEqualTo(first.json().path("id").asString());
        assertThat(sql.queryForObject("SELECT count(*) FROM executions", Long.class)).isEqualTo(before);
        assertThat(rowsWithKey(key)).isEqualTo(1);
    }

    @Test
    void keys_belong_to_their_caller_so_two_callers_may_use_the_same_one() {
        String key = UUID.randomUUID().toString();
        String otherRequester = fixture.key("second idempotent requester", "REQUESTER");

        Http.Response mine = http.post("/api/v1/purchases", requester, ApiFixture.purchase(account),
                Map.of("Idempotency-Key", key));
        Http.Response theirs = http.post("/api/v1/purchases", otherRequester, ApiFixture.purchase(account),
                Map.of("Idempotency-Key", key));

        assertThat(mine.status()).isEqualTo(201);
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.json().path("id").asString()).isNotEqualTo(mine.json().path("id").asString());
    }

    @Test
    void without_a_key_every_post_is_a_new_purchase() {
        Http.Response a = http.post("/api/v1/purchases", requester, ApiFixture.purchase(account));
        Http.Response b = http.post("/api/v1/purchases", requester, ApiFixture.purchase(account));

        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(201);
        assertThat(a.json().path("id").asString()).isNotEqualTo(b.json().path("id").asString());
    }

    @Test
    void the_same_key_sent_by_eight_threads_at_once_creates_one_purchase() throws Exception {
        String key = UUID.randomUUID().toString();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return http.post("/api/v1/purchases", requester, ApiFixture.purchase(account),
                            Map.of("Idempotency-Key", key));
                }));
            }
            Set<String> ids = new HashSet<>();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Http.Response> f : answers) {
                Http.Response r = f.get(60, TimeUnit.SECONDS);
                statuses.add(r.status());
                ids.add(r.json().path("id").asString());
            }
            assertThat(ids).hasSize(1);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(threads - 1);
            assertThat(rowsWithKey(key)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private long rowsWithKey(String key) {
        return sql.queryForObject("SELECT count(*) FROM executions WHERE idempotency_key = ?", Long.class, key);
    }
}
