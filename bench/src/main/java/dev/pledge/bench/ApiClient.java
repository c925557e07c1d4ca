package dev.pledge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.IssuedKey;
import dev.pledge.app.security.Role;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;

/** The web API under {@code /api/v1}, spoken over loopback HTTP with bearer keys, as any client would. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String requesterKey;
    private final String approverKey;
    private final HttpClient http;

    ApiClient(URI base, String requesterKey, String approverKey) {
        this.base = base;
        this.requesterKey = requesterKey;
        this.approverKey = approverKey;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client with a requester key and an approver (and viewer) key issued by the app's key service. */
    static ApiClient withBenchKeys(AppUnderTest app) {
        ApiKeyService keys = app.bean(ApiKeyService.class);
        IssuedKey requester = keys.create("bench requester", "bench-requester@example.com", EnumSet.of(Role.REQUESTER, Role.VIEWER), "bench");
        IssuedKey approver = keys.create("bench approver", "bench-approver@example.com", EnumSet.of(Role.APPROVER, Role.VIEWER), "bench");
        return new ApiClient(app.baseUrl(), requester.secret(), approver.secret());
    }

    void approve(UUID id) {
        send(HttpRequest.newBuilder(base.resolve("/api/v1/purchases/" + id + "/approve"))
                .header("Authorization", "Bearer " + approverKey).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), 200);
    }

    /** POST /api/v1/recommendations/refresh with the approver's key; it answers when every source is done. */
    JsonNode refreshInsights(Duration timeout) {
        return read(send(HttpRequest.newBuilder(base.resolve("/api/v1/recommendations/refresh"))
                .header("Authorization", "Bearer " + approverKey).header("Content-Type", "application/json")
                .timeout(timeout).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), 200));
    }

    JsonNode summary() {
        return read(send(get("/api/v1/purchases/summary", approverKey), 200));
    }

    JsonNode firstPage(int limit) {
        return read(send(get("/api/v1/purchases?limit=" + limit, approverKey), 200));
    }

    HttpRequest get(String path, String key) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    HttpRequest post(String path, String key, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
