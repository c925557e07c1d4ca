package dev.pledge.app.web;

import dev.pledge.app.account.AccountCredentialSource;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Account credentials: sealed in the database, never returned (not even in part), replaceable. */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialsAtRestTest {
    private static final String SECRET = "Zq7#Wx2!Vb9$Kp4&Lm8*";
    private static final String REPLACEMENT = "Ty6^Hg3(Rd5)Nc1%Fj0+";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;
    @Autowired
    AccountCredentialSource credentials;

    private Http http;
    private final List<Http.Response> answers = new ArrayList<>();

    @BeforeAll
    void setUp() {
        http = new Http(port);
    }

    @Test
    void credentials_are_sealed_in_the_database_and_no_answer_contains_any_part_of_a_value() {
        String externalId = String.valueOf(700_000_000_000L + System.nanoTime() % 100_000_000_000L);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cloud", "aws");
        body.put("externalId", externalId);
        body.put("name", "sealed");
        body.put("credentials", Map.of("roleArn", "arn:aws:iam::" + externalId + ":role/pledge", "externalId", SECRET));
        Http.Response created = keep(http.post("/api/v1/accounts", WebApiTest.ADMIN_KEY, body));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(created.json().path("credentials").path("fields").valueStream().map(f -> f.asString()).toList())
                .containsExactly("externalId", "roleArn");
        String fingerprint = created.json().path("credentials").path("fingerprint").asString();
        assertThat(fingerprint).matches("[0-9a-f]{16}");

        Map<String, Object> raw = sql.queryForMap("SELECT credentials::text AS clear, credentials_sealed, "
                + "data_key_wrapped, row_to_json(a)::text AS whole FROM accounts a WHERE id = CAST(? AS uuid)", id);
        assertThat((String) raw.get("clear")).isEqualTo("{}");
        assertThat(new String((byte[]) raw.get("credentials_sealed"), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET)
                .doesNotContain("arn:aws");
        assertThat(HexFormat.of().formatHex((byte[]) raw.get("credentials_sealed")))
                .doesNotContain(HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        assertThat((String) raw.get("whole")).doesNotContain(SECRET);
        assertThat(credentials.forAccount(Cloud.AWS, externalId).get("externalId")).isEqualTo(SECRET);

        keep(http.get("/api/v1/accounts", WebApiTest.ADMIN_KEY));
        keep(http.get("/api/v1/accounts/" + id, WebApiTest.ADMIN_KEY));
        keep(http.get("/api/v1/audit/export", WebApiTest.ADMIN_KEY));

        Http.Response patched = keep(http.patch("/api/v1/accounts/" + id, WebApiTest.ADMIN_KEY,
                Map.of("credentials", Map.of("roleArn", "arn:aws:iam::" + externalId + ":role/pledge",
                        "externalId", REPLACEMENT))));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("credentials").path("fingerprint").asString()).isNotEqualTo(fingerprint);
        // the cached copy was dropped with the change: the executors see the new value at once
        assertThat(credentials.forAccount(Cloud.AWS, externalId).get("externalId")).isEqualTo(REPLACEMENT);
        keep(http.get("/api/v1/accounts/" + id, WebApiTest.ADMIN_KEY));
        keep(http.get("/api/v1/audit/export", WebApiTest.ADMIN_KEY));

        for (Http.Response answer : answers) {
            for (String secret : List.of(SECRET, REPLACEMENT)) {
                for (int i = 0; i + 4 <= secret.length(); i++) {
                    assertThat(answer.text()).as("an answer contains '" + secret.substring(i, i + 4) + "'")
                            .doesNotContain(secret.substring(i, i + 4));
                }
            }
        }
    }

    @Test
    void a_key_file_outside_the_key_file_directory_is_refused_without_saying_whether_it_exists() {
        Http.Response r = http.post("/api/v1/accounts", WebApiTest.ADMIN_KEY, Map.of("cloud", "gcp", "externalId",
                "keyfile-" + System.nanoTime(), "name", "key file", "credentials",
                Map.of("serviceAccountKeyFile", "/etc/passwd")));
        Http.Response missing = http.post("/api/v1/accounts", WebApiTest.ADMIN_KEY, Map.of("cloud", "gcp",
                "externalId", "keyfile-" + System.nanoTime(), "name", "key file", "credentials",
                Map.of("serviceAccountKeyFile", "/etc/no-such-file-anywhere")));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("field").asString()).isEqualTo("credentials.serviceAccountKeyFile");
        assertThat(r.detail()).contains("pledge.secrets.key-file-directory").doesNotContain("/etc/passwd");
        assertThat(missing.detail()).isEqualTo(r.detail());
    }

    private Http.Response keep(Http.Response r) {
        answers.add(r);
        return r;
    }
}
