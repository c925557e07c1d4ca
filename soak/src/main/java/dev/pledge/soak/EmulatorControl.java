package dev.pledge.soak;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The emulator's control API ({@code /__pledge/...}), spoken over HTTP as any tool would. */
final class EmulatorControl {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EmulatorControl(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** One commitment the emulator holds. */
    record Commitment(String cloud, String type, String account, String region, String id, String key,
                      String offering, int quantity, Map<String, String> tags) {
    }

    List<Commitment> commitments() {
        JsonNode array = JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/__pledge/commitments")).GET()));
        List<Commitment> out = new ArrayList<>();
        for (JsonNode c : array) {
            Map<String, String> tags = new HashMap<>();
            JsonNode t = c.get("tags");
            if (t != null && t.isObject()) {
                for (Map.Entry<String, JsonNode> e : t.properties()) {
                    tags.put(e.getKey(), e.getValue().asString());
                }
            }
            out.add(new Commitment(text(c, "cloud"), text(c, "type"), text(c, "account"), text(c, "region"),
                    text(c, "id"), text(c, "key"), text(c, "offering"), c.path("quantity").asInt(0), tags));
        }
        return out;
    }

    /** Arms a fault for the next {@code times} matching calls. */
    void fault(FaultSpec spec) {
        ObjectNode body = JSON.createObjectNode();
        body.put("cloud", spec.cloud());
        body.put("type", spec.type());
        if (spec.operation() != null) {
            body.put("operation", spec.operation());
        }
        body.put("fault", spec.fault());
        body.put("times", spec.times());
        if (spec.status() != null) {
            body.put("status", spec.status());
        }
        if (spec.code() != null) {
            body.put("code", spec.code());
        }
        if (spec.delayMs() != null) {
            body.put("delayMs", spec.delayMs());
        }
        send(HttpRequest.newBuilder(base.resolve("/__pledge/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** Adds an offering to the catalog, or replaces the one with the same offeringId. */
    void postOffering(JsonNode offering) {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/offerings"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(offering.toString())));
    }

    /** Replaces the usage lines recommendations derive from ({@code PUT /__pledge/usage}, a JSON array). */
    void putUsage(String linesJson) {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/usage"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(linesJson)));
    }

    /** Calls the armed faults would still hit. */
    int faultsRemaining() {
        int n = 0;
        for (JsonNode f : get("/__pledge/faults")) {
            n += f.path("times").asInt(0);
        }
        return n;
    }

    void clearFaults() {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/faults")).DELETE());
    }

    void reset() {
        send(HttpRequest.newBuilder(base.resolve("/__pledge/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode get(String path) {
        return JSON.readTree(send(HttpRequest.newBuilder(base.resolve(path)).GET()));
    }

    private String send(HttpRequest.Builder request) {
        HttpRequest r = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("emulator control " + r.method() + " " + r.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("emulator control " + r.method() + " " + r.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
