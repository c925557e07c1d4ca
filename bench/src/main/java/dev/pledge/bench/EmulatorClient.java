package dev.pledge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The emulator's control API ({@code /__pledge/...}) over loopback HTTP. */
final class EmulatorClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EmulatorClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** One commitment the emulator holds; {@code createdAt} is when the emulator recorded the purchase. */
    record Commitment(String type, String account, String id, String key, Instant createdAt) {
    }

    List<Commitment> commitments() {
        JsonNode array = read(send(HttpRequest.newBuilder(base.resolve("/__pledge/commitments")).GET()));
        List<Commitment> out = new ArrayList<>();
        for (JsonNode c : array) {
            out.add(new Commitment(text(c, "type"), text(c, "account"), text(c, "id"), text(c, "key"),
                    instant(c.get("createdAt"))));
        }
        return out;
    }

    /** How many purchase calls of one commitment type the emulator has received (every outcome). */
    long purchaseRequests(String type) {
        long n = 0;
        for (JsonNode r : read(send(HttpRequest.newBuilder(base.resolve("/__pledge/requests")).GET()))) {
            if (type.equals(text(r, "type")) && "PURCHASE".equals(text(r, "kind"))) {
                n += r.path("count").asLong();
            }
        }
        return n;
    }

    /** Calls the emulator has received, per operation (e.g. {@code PurchaseReservedDBInstancesOffering}). */
    java.util.Map<String, Long> requestsByOperation() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (JsonNode r : read(send(HttpRequest.newBuilder(base.resolve("/__pledge/requests")).GET()))) {
            out.merge(text(r, "operation"), r.path("count").asLong(), Long::sum);
        }
        return out;
    }

    /** {@code GET /__pledge/requests/in-flight}: calls, peak and mean in flight, span and busy ms. */
    JsonNode callsInFlight() {
        return read(send(HttpRequest.newBuilder(base.resolve("/__pledge/requests/in-flight")).GET()));
    }

    /** Delays every call of one commitment type (optionally one operation) for the next {@code times} calls. */
    void delay(String cloud, String type, String operation, Duration delay, int times) {
        ObjectNode body = JSON.createObjectNode();
        body.put("cloud", cloud);
        body.put("type", type);
        if (operation != null) {
            body.put("operation", operation);
        }
        body.put("fault", "delay");
        body.put("times", times);
        body.put("delayMs", delay.toMillis());
        send(HttpRequest.newBuilder(base.resolve("/__pledge/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** Adds or replaces usage lines ({@code PUT /__pledge/usage} with a JSON array). */
    void putUsage(String jsonArray) {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/usage")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonArray)));
    }

    /** Forgets the request counters ({@code DELETE /__pledge/requests}). */
    void clearRequestCounts() {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/requests")).DELETE());
    }

    void clearFaults() {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/faults")).DELETE());
    }

    void reset() {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String send(HttpRequest.Builder request) {
        HttpRequest r = request.timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("emulator " + r.method() + " " + r.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("emulator " + r.method() + " " + r.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the emulator answered something that is not JSON: " + body, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return Instant.ofEpochMilli(v.asLong());
        }
        return Instant.parse(v.asText());
    }
}
