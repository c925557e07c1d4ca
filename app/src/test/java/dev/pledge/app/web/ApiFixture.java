package dev.pledge.app.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Sets up what a test needs through the API itself, as an operator would: keys, accounts, purchases. */
final class ApiFixture {
    final Http http;
    final String admin;

    ApiFixture(Http http, String admin) {
        this.http = http;
        this.admin = admin;
    }

    /** A fresh key with these roles, of an owner of its own (a person nobody else is); returns the secret. */
    String key(String name, String... roles) {
        return keyJson(name, roles).path("key").asString();
    }

    tools.jackson.databind.JsonNode keyJson(String name, String... roles) {
        return ownedKeyJson(name, name.replaceAll("[^A-Za-z0-9]+", "-") + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@example.com", roles);
    }

    /** A fresh key of {@code owner}: two keys of one owner are one person to four-eyes. */
    tools.jackson.databind.JsonNode ownedKeyJson(String name, String owner, String... roles) {
        Http.Response r = http.post("/api/v1/keys", admin, Map.of("name", name, "owner", owner,
                "roles", List.of(roles)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    /** A fresh AWS account (random 12-digit id); returns its Pledge id. */
    String awsAccount() {
        String externalId = String.valueOf(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
        Http.Response r = http.post("/api/v1/accounts", admin, Map.of("cloud", "aws", "externalId", externalId,
                "name", "test account " + externalId));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    static Map<String, Object> rdsItem(String account) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "aws-rds");
        item.put("account", account);
        item.put("region", "us-east-1");
        item.put("offering", "db.r6g.large");
        item.put("quantity", 2);
        item.put("term", "1y");
        item.put("payment", "no-upfront");
        // the emulator sells db.r6g.large for one engine; naming it makes the offering unambiguous
        item.put("attributes", Map.of("productDescription", "postgresql"));
        return item;
    }

    static Map<String, Object> purchase(String account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "two RDS nodes for the orders database");
        body.put("items", List.of(rdsItem(account)));
        return body;
    }

    /** A purchase in PENDING_APPROVAL created by {@code requester}; returns its id. */
    String pendingPurchase(String requester, String account) {
        Http.Response r = http.post("/api/v1/purchases", requester, purchase(account));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().path("status").asString()).isEqualTo("PENDING_APPROVAL");
        return r.json().path("id").asString();
    }

    String status(String purchase) {
        return http.get("/api/v1/purchases/" + purchase, admin).json().path("status").asString();
    }
}
