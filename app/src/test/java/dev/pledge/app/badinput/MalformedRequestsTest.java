package dev.pledge.app.badinput;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.AccountUpdate;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;
import dev.pledge.app.testing.PostgresTestInitializer;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At least 500 generated malformed requests against the real application on PostgreSQL: every
 * answer is a 4xx with an RFC 9457 Problem Details body, never a 5xx, and no row is written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pledge.engine.enabled=false",
        "pledge.cloud.endpoint=http://127.0.0.1:9"})
@ContextConfiguration(initializers = PostgresTestInitializer.class)
class MalformedRequestsTest {
    private static final long SEED = 8_500L;
    private static final int AT_LEAST = 520;
    private static final List<String> TABLES = List.of("accounts", "executions", "items", "item_attempts",
            "audit_events", "api_keys");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    ApiKeyService keys;
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Fixture fixture;

    /** Accounts, a pending execution and a key holding every role, made once for the whole suite. */
    private record Fixture(String key, UUID aws, UUID azure, UUID disabled, UUID pending) {
    }

    private synchronized Fixture fixture() {
        if (fixture == null) {
            // an EnumSet: the service asks its argument whether it contains null, which Set.of(...) refuses to answer
            String key = keys.create("bad-input suite", "bad-input-suite@example.com", EnumSet.allOf(Role.class), "test").secret();
            UUID aws = account(Cloud.AWS, "100000000001", true);
            UUID azure = account(Cloud.AZURE, "0bad0000-0000-4000-8000-000000000001", true);
            UUID disabled = account(Cloud.AWS, "100000000002", false);
            UUID pending = executions.create(NewExecution.of("test", "awaiting approval", List.of(
                    new NewItem(aws, "aws-rds", "us-east-1", "db.r6g.large", 1, "1y", "no-upfront", Map.of()))))
                    .detail().execution().id();
            fixture = new Fixture(key, aws, azure, disabled, pending);
        }
        return fixture;
    }

    private UUID account(Cloud cloud, String externalId, boolean enabled) {
        Account a = accounts.findByExternalId(cloud, externalId)
                .orElseGet(() -> accounts.create(new NewAccount(cloud, externalId, "bad-input " + externalId, Map.of())));
        if (!enabled) {
            accounts.update(a.id(), new AccountUpdate(null, false));
        }
        return a.id();
    }

    private MalformedRequests generator() {
        Fixture f = fixture();
        return new MalformedRequests(SEED, f.aws(), f.azure(), f.disabled(), f.pending());
    }

    @Test
    void the_generator_makes_at_least_five_hundred_distinct_requests() {
        List<MalformedRequest> requests = generator().generate(AT_LEAST);
        assertThat(requests).hasSizeGreaterThanOrEqualTo(500);
        assertThat(requests.stream().map(MalformedRequest::name).distinct().count())
                .as("distinct defects").isGreaterThanOrEqualTo(450);
    }

    @Test
    void the_valid_baseline_is_accepted_so_each_generated_case_carries_only_its_own_defects() throws Exception {
        Map<String, Long> before = rowCounts();
        MalformedRequest valid = MalformedRequest.post("valid baseline", MalformedRequests.PURCHASES,
                generator().validPurchase());

        HttpResponse<String> response = send(valid);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(rowCounts()).as("the row check sees a write").isNotEqualTo(before);
    }

    @TestFactory
    Stream<DynamicTest> every_malformed_request_gets_a_4xx_problem_and_writes_nothing() {
        return generator().generate(AT_LEAST).stream().map(r -> DynamicTest.dynamicTest(r.toString(), () -> {
            Map<String, Long> before = rowCounts();

            HttpResponse<String> response = send(r);

            String seen = response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("(none)")
                    + " " + abbreviate(response.body());
            assertThat(response.statusCode()).as("status of %s: %s", r, seen).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as("Problem Details content type: %s", seen).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.isObject()).as("a JSON object: %s", seen).isTrue();
            assertThat(problem.path("status").asInt()).as("status member: %s", seen).isEqualTo(response.statusCode());
            assertThat(problem.path("title").asString("")).as("title member: %s", seen).isNotBlank();
            assertThat(rowCounts()).as("rows after %s", r).isEqualTo(before);
        }));
    }

    private HttpResponse<String> send(MalformedRequest r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + fixture().key())
                .header("Accept", "application/json, application/problem+json");
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        HttpRequest.BodyPublisher body = r.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(r.body());
        b.method(r.method(), r.method().equals("GET") ? HttpRequest.BodyPublishers.noBody() : body);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class));
        }
        return counts;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
