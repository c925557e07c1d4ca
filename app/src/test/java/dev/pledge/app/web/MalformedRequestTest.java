package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the API must refuse: each answered with a problem naming the field at fault, and not a
 * row added anywhere. Bodies are written as text so they can be wrong in ways a JSON library would
 * not produce. {@code {aws}}, {@code {disabled}} and {@code {gcp}} stand for accounts made before.
 */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {
    private static final String ITEM = "{\"type\":\"aws-rds\",\"account\":\"{aws}\",\"region\":\"us-east-1\","
            + "\"offering\":\"db.r6g.large\",\"quantity\":2,\"term\":\"1y\",\"payment\":\"no-upfront\"}";
    private static final List<String> TABLES = List.of("executions", "items", "audit_events", "accounts", "api_keys");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    /**
     * @param role  whose key sends it
     * @param field the {@code field} member the problem must carry
     */
    record Bad(String name, String method, String path, String role, String contentType, String body, int status,
               String field, Map<String, String> headers) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void accountsAndKeys() {
        http = new Http(port);
        ApiFixture fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        keys.put("REQUESTER", fixture.key("malformed requester", "REQUESTER"));
        keys.put("APPROVER", fixture.key("malformed approver", "APPROVER"));
        keys.put("ADMIN", WebApiTest.ADMIN_KEY);
        keys.put("VIEWER", fixture.key("malformed viewer", "VIEWER"));
        placeholders.put("{aws}", fixture.awsAccount());
        String disabled = fixture.awsAccount();
        assertThat(http.patch("/api/v1/accounts/" + disabled, WebApiTest.ADMIN_KEY, Map.of("enabled", false))
                .status()).isEqualTo(200);
        placeholders.put("{disabled}", disabled);
        placeholders.put("{gcp}", http.post("/api/v1/accounts", WebApiTest.ADMIN_KEY, Map.of("cloud", "gcp",
                "externalId", "malformed-" + System.nanoTime(), "name", "gcp")).json().path("id").asString());
        placeholders.put("{pending}", fixture.pendingPurchase(keys.get("REQUESTER"), placeholders.get("{aws}")));
    }

    private static Bad purchase(String name, String body, String field) {
        return new Bad(name, "POST", "/api/v1/purchases", "REQUESTER", "application/json", body, 400, field,
                Map.of());
    }

    private static Bad withItem(String name, String itemJson, String field) {
        return purchase(name, "{\"description\":\"x\",\"items\":[" + itemJson + "]}", field);
    }

    private static String item(String property, String valueJson) {
        String replaced = ITEM.replaceFirst("\"" + property + "\":(\"[^\"]*\"|[0-9]+)", "\"" + property + "\":"
                + valueJson);
        if (replaced.equals(ITEM)) {
            replaced = ITEM.substring(0, ITEM.length() - 1) + ",\"" + property + "\":" + valueJson + "}";
        }
        return replaced;
    }

    private static String itemWithout(String property) {
        return ITEM.replaceFirst(",?\"" + property + "\":(\"[^\"]*\"|[0-9]+)", "").replace("{,", "{");
    }

    private static Bad get(String name, String path, String field) {
        return new Bad(name, "GET", path, "VIEWER", null, null, 400, field, Map.of());
    }

    private static Bad admin(String name, String method, String path, String body, String field) {
        return new Bad(name, method, path, "ADMIN", "application/json", body, 400, field, Map.of());
    }

    static Stream<Bad> malformed() {
        List<Bad> cases = new ArrayList<>(List.of(
                purchase("an empty body", "", "body"),
                purchase("a body that is not JSON", "buy me things", "body"),
                purchase("a JSON array instead of an object", "[" + ITEM + "]", "body"),
                purchase("JSON cut off in the middle", "{\"items\":[" + ITEM, "body"),
                purchase("trailing garbage after the object", "{\"items\":[" + ITEM + "]} extra", "body"),
                purchase("an unknown top-level field", "{\"items\":[" + ITEM + "],\"priority\":\"high\"}",
                        "priority"),
                purchase("a duplicate key", "{\"description\":\"a\",\"description\":\"b\",\"items\":[" + ITEM
                        + "]}", "description"),
                purchase("no items", "{\"description\":\"nothing\"}", "items"),
                purchase("an empty item list", "{\"items\":[]}", "items"),
                purchase("items that is an object", "{\"items\":" + ITEM + "}", "items"),
                purchase("a null item", "{\"items\":[null]}", "items[0]"),
                purchase("201 items", "{\"items\":[" + String.join(",", Collections.nCopies(201, ITEM)) + "]}",
                        "items"),
                purchase("a description over 2000 characters", "{\"description\":\"" + "d".repeat(2001)
                        + "\",\"items\":[" + ITEM + "]}", "description"),
                purchase("a description with a NUL character", "{\"description\":\"a\\u0000b\",\"items\":["
                        + ITEM + "]}", "description"),
                new Bad("a reject reason with a control character", "POST", "/api/v1/purchases/{pending}/reject",
                        "APPROVER", "application/json", "{\"reason\":\"no\\u0007\"}", 400, "reason", Map.of()),
                admin("a credential with a NUL character", "POST", "/api/v1/accounts",
                        "{\"cloud\":\"aws\",\"externalId\":\"123456789012\",\"name\":\"n\","
                                + "\"credentials\":{\"roleArn\":\"arn\\u0000\"}}", "credentials.roleArn"),
                admin("an account name with a NUL character", "POST", "/api/v1/accounts",
                        "{\"cloud\":\"aws\",\"externalId\":\"123456789012\",\"name\":\"n\\u0000\"}",
                        "name"),
                purchase("a description that is a number", "{\"description\":5,\"items\":[" + ITEM + "]}",
                        "description"),
                purchase("notBefore that is not an instant", "{\"notBefore\":\"next tuesday\",\"items\":[" + ITEM
                        + "]}", "notBefore"),
                purchase("notBefore more than a year ahead", "{\"notBefore\":\"2099-01-01T00:00:00Z\",\"items\":["
                        + ITEM + "]}", "notBefore"),
                withItem("an unknown item field", item("colour", "\"red\""), "items[0].colour"),
                withItem("an item without a type", itemWithout("type"), "items[0].type"),
                withItem("an unknown commitment type", item("type", "\"aws-ec3\""), "items[0].type"),
                withItem("an item without an account", itemWithout("account"), "items[0].account"),
                withItem("an account that is not a UUID", item("account", "\"prod\""), "items[0].account"),
                withItem("an account that does not exist", item("account",
                        "\"00000000-0000-4000-8000-00000000dead\""), "items[0].account"),
                withItem("a disabled account", item("account", "\"{disabled}\""), "items[0].account"),
                withItem("an account of another cloud", item("account", "\"{gcp}\""), "items[0].account"),
                withItem("an item without a region", itemWithout("region"), "items[0].region"),
                withItem("a region with spaces", item("region", "\"us east 1\""), "items[0].region"),
                withItem("an empty offering", item("offering", "\"\""), "items[0].offering"),
                withItem("an item without a quantity", itemWithout("quantity"), "items[0].quantity"),
                withItem("quantity zero", item("quantity", "0"), "items[0].quantity"),
                withItem("a negative quantity", item("quantity", "-3"), "items[0].quantity"),
                withItem("a fractional quantity", item("quantity", "1.5"), "items[0].quantity"),
                withItem("a quantity given as text", item("quantity", "\"2\""), "items[0].quantity"),
                withItem("a quantity beyond 32 bits", item("quantity", "99999999999"), "items[0].quantity"),
                withItem("a null quantity", item("quantity", "null"), "items[0].quantity"),
                withItem("a term the type does not sell", item("term", "\"5y\""), "items[0].term"),
                withItem("an unknown payment option", item("payment", "\"weekly\""), "items[0].payment"),
                withItem("attributes that are not an object", item("attributes", "\"fast\""),
                        "items[0].attributes"),
                withItem("an attribute whose value is an object", item("attributes", "{\"tier\":{\"a\":1}}"),
                        "items[0].attributes.tier"),
                purchase("a bad second item", "{\"items\":[" + ITEM + "," + item("quantity", "0") + "]}",
                        "items[1].quantity"),
                new Bad("an Idempotency-Key of 300 characters", "POST", "/api/v1/purchases", "REQUESTER",
                        "application/json", "{\"items\":[" + ITEM + "]}", 400, "Idempotency-Key",
                        Map.of("Idempotency-Key", "k".repeat(300))),
                new Bad("a reject without a reason", "POST", "/api/v1/purchases/{pending}/reject", "APPROVER",
                        "application/json", "{}", 400, "reason", Map.of()),
                new Bad("a reject with a blank reason", "POST", "/api/v1/purchases/{pending}/reject", "APPROVER",
                        "application/json", "{\"reason\":\"  \"}", 400, "reason", Map.of()),
                new Bad("a purchase id that is not a UUID", "POST", "/api/v1/purchases/42/approve", "APPROVER",
                        null, null, 400, "id", Map.of()),
                admin("an account without a cloud", "POST", "/api/v1/accounts",
                        "{\"externalId\":\"123456789012\",\"name\":\"n\"}", "cloud"),
                admin("an account in an unknown cloud", "POST", "/api/v1/accounts",
                        "{\"cloud\":\"ibm\",\"externalId\":\"123456789012\",\"name\":\"n\"}", "cloud"),
                admin("an account id with spaces", "POST", "/api/v1/accounts",
                        "{\"cloud\":\"aws\",\"externalId\":\"1234 5678\",\"name\":\"n\"}", "externalId"),
                admin("an account without a name", "POST", "/api/v1/accounts",
                        "{\"cloud\":\"aws\",\"externalId\":\"123456789012\"}", "name"),
                admin("a credential that is a number", "POST", "/api/v1/accounts",
                        "{\"cloud\":\"aws\",\"externalId\":\"123456789012\",\"name\":\"n\","
                                + "\"credentials\":{\"roleArn\":7}}", "credentials.roleArn"),
                admin("an account change with nothing to change", "PATCH", "/api/v1/accounts/{aws}", "{}", "body"),
                admin("an account enabled flag given as text", "PATCH", "/api/v1/accounts/{aws}",
                        "{\"enabled\":\"yes\"}", "enabled"),
                admin("a key without roles", "POST", "/api/v1/keys", "{\"name\":\"ci\"}", "roles"),
                admin("a key with an unknown role", "POST", "/api/v1/keys", "{\"name\":\"ci\",\"roles\":[\"ROOT\"]}",
                        "roles[0]"),
                admin("a key without a name", "POST", "/api/v1/keys", "{\"roles\":[\"VIEWER\"]}", "name"),
                admin("a key without an owner", "POST", "/api/v1/keys", "{\"name\":\"ci\",\"roles\":[\"VIEWER\"]}",
                        "owner"),
                admin("a key name of 101 characters", "POST", "/api/v1/keys", "{\"name\":\"" + "n".repeat(101)
                        + "\",\"roles\":[\"VIEWER\"]}", "name"),
                get("an unknown status filter", "/api/v1/purchases?status=DONE", "status"),
                get("a limit of zero", "/api/v1/purchases?limit=0", "limit"),
                get("a limit that is not a number", "/api/v1/purchases?limit=ten", "limit"),
                get("a cursor this service never issued", "/api/v1/purchases?cursor=bm90LWEtY3Vyc29y", "cursor"),
                get("a createdFrom that is not an instant", "/api/v1/purchases?createdFrom=yesterday",
                        "createdFrom"),
                get("an unknown query parameter", "/api/v1/purchases?colour=red", "colour"),
                get("an account filter that is not a UUID", "/api/v1/purchases?account=prod", "account"),
                get("an unknown cloud filter", "/api/v1/purchases?cloud=ibm", "cloud"),
                new Bad("a body sent as text/plain", "POST", "/api/v1/purchases", "REQUESTER", "text/plain",
                        "{\"items\":[" + ITEM + "]}", 415, "Content-Type", Map.of()),
                new Bad("a body over the size limit", "POST", "/api/v1/purchases", "REQUESTER", "application/json",
                        "{\"description\":\"" + "x".repeat(70_000) + "\",\"items\":[" + ITEM + "]}", 413, "body",
                        Map.of())));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void a_malformed_request_is_refused_naming_the_field_and_writes_nothing(Bad bad) {
        Map<String, Long> before = rows();

        Http.Response r = http.send(bad.method(), fill(bad.path()), keys.get(bad.role()), bad.contentType(),
                bad.body() == null ? null : fill(bad.body()), bad.headers());

        assertThat(r.status()).as(r.toString()).isEqualTo(bad.status());
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.field()).as(r.toString()).isEqualTo(bad.field());
        assertThat(r.detail()).as("the detail names the field").contains(bad.field());
        assertThat(r.json().path("status").asInt()).isEqualTo(bad.status());
        assertThat(rows()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void a_chunked_body_over_the_size_limit_is_refused_while_it_is_read() {
        Map<String, Long> before = rows();
        byte[] big = ("{\"description\":\"" + "x".repeat(70_000) + "\",\"items\":[" + fill(ITEM) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        // a publisher of unknown length: the client sends it chunked, without a Content-Length
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(
                subscriber -> HttpRequest.BodyPublishers.ofByteArray(big).subscribe(subscriber));

        Http.Response r = http.sendBytes("POST", "/api/v1/purchases", keys.get("REQUESTER"), "application/json",
                chunked, Map.of());

        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.field()).isEqualTo("body");
        assertThat(rows()).isEqualTo(before);
    }


    private String fill(String s) {
        String out = s;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            out = out.replace(p.getKey(), p.getValue());
        }
        return out;
    }

    private Map<String, Long> rows() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, sql.queryForObject("SELECT count(*) FROM " + table, Long.class));
        }
        return counts;
    }
}
