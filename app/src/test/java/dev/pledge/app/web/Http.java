package dev.pledge.app.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A real HTTP client of the running application: requests as a caller sends them, answers as JSON. */
final class Http {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    Http(int port) {
        this.base = "http://localhost:" + port;
    }

    record Response(int status, Map<String, java.util.List<String>> headers, String text) {
        JsonNode json() {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The {@code field} of a problem answer. */
        String field() {
            return json().path("field").asString(null);
        }

        String detail() {
            return json().path("detail").asString("");
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    Response get(String path, String key) {
        return send("GET", path, key, null, null, Map.of());
    }

    Response delete(String path, String key) {
        return send("DELETE", path, key, null, null, Map.of());
    }

    Response post(String path, String key, Object body) {
        return send("POST", path, key, "application/json", json(body), Map.of());
    }

    Response post(String path, String key, Object body, Map<String, String> headers) {
        return send("POST", path, key, "application/json", json(body), headers);
    }

    Response patch(String path, String key, Object body) {
        return send("PATCH", path, key, "application/json", json(body), Map.of());
    }

    static String json(Object body) {
        if (body == null) {
            return null;
        }
        return body instanceof String s ? s : JSON.writeValueAsString(body);
    }

    Response send(String method, String path, String key, String contentType, String body,
                  Map<String, String> headers) {
        return sendBytes(method, path, key, contentType,
                body == null ? null : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), headers);
    }

    Response sendBytes(String method, String path, String key, String contentType,
                       HttpRequest.BodyPublisher body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
