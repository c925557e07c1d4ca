package dev.pledge.app.cli;

import dev.pledge.common.logging.Masking;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A small client of the Pledge web API for {@code pledge purchases}: JSON in and out, the API key
 * in a header, server errors turned into messages a person can act on (never showing the key).
 */
final class ApiClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final String apiKey;
    private final HttpClient http;

    ApiClient(URI server, String apiKey) {
        this.server = server;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET().timeout(DEFAULT_TIMEOUT), "GET " + path);
    }

    JsonNode post(String path, Object body) {
        return post(path, body, DEFAULT_TIMEOUT);
    }

    /** A POST that may take longer than the default 30 s (a refresh calls every account's clouds). */
    JsonNode post(String path, Object body, Duration timeout) {
        String json = body == null ? "{}" : JSON.writeValueAsString(body);
        return send(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(timeout), "POST " + path);
    }

    static String pretty(JsonNode node) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    private URI resolve(String path) {
        String base = server.toString().replaceAll("/+$", "");
        return URI.create(base + path);
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        HttpRequest r = request.header("Authorization", "Bearer " + apiKey).header("Accept", "application/json")
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliFailure(ExitCode.INTERNAL, "Cannot reach the Pledge server at " + server
                    + " (connection refused). Is `pledge serve` running? Use --server or PLEDGE_SERVER to point "
                    + "at it.");
        } catch (HttpTimeoutException e) {
            throw new CliFailure(ExitCode.INTERNAL, "The Pledge server at " + server + " did not answer " + what
                    + " in time.");
        } catch (IOException e) {
            throw new CliFailure(ExitCode.INTERNAL, "Cannot reach the Pledge server at " + server + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.INTERNAL, "interrupted");
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return body;
        }
        String detail = problemDetail(body, response.body());
        if (status == 401) {
            throw new CliFailure(ExitCode.REFUSED, "The server refused the API key " + Masking.mask(apiKey)
                    + " (401): check PLEDGE_API_KEY. " + detail);
        }
        if (status == 403) {
            throw new CliFailure(ExitCode.REFUSED, "Not allowed (403): " + detail);
        }
        if (status == 404) {
            throw new CliFailure(ExitCode.REFUSED, "Not found (404): " + detail);
        }
        if (status >= 400 && status < 500) {
            throw new CliFailure(ExitCode.REFUSED, "Refused (" + status + "): " + detail);
        }
        throw new CliFailure(ExitCode.INTERNAL, "The server failed on " + what + " (" + status + "): " + detail);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return JSON.createObjectNode().put("message", body.length() > 500 ? body.substring(0, 500) : body);
        }
    }

    /** The human part of an error body (RFC 9457 problem detail or a plain message). */
    private static String problemDetail(JsonNode body, String raw) {
        for (String field : new String[]{"detail", "message", "error", "title"}) {
            JsonNode n = body.get(field);
            if (n != null && n.isString() && !n.asString().isBlank()) {
                return n.asString();
            }
        }
        return raw == null || raw.isBlank() ? "(no details)" : raw.length() > 300 ? raw.substring(0, 300) : raw;
    }
}
