package dev.pledge.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plain ARM calls over one account's {@link HttpPipeline}. An HTTP error answer becomes a
 * {@link ManagementException} carrying ARM's error code; no answer at all becomes an
 * {@link ArmTransportException}. Reads are retried up to {@code maxAttempts}; a PUT is sent once
 * (the executor decides what a lost answer means).
 */
final class ArmClient {
    static final String API_VERSION = "2022-11-01";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(ArmClient.class);

    private final HttpPipeline pipeline;
    private final String baseUrl;
    private final int maxAttempts;
    private final Duration retryDelay;

    ArmClient(HttpPipeline pipeline, URI baseUrl, int maxAttempts, Duration retryDelay) {
        this.pipeline = pipeline;
        String b = baseUrl.toString();
        this.baseUrl = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
    }

    /** An answer from ARM with a 2xx status. */
    record ArmResponse(int status, com.azure.core.http.HttpHeaders headers, JsonNode body) {
        String header(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }
    }

    /** GET of a resource by its path (with query); empty when ARM answers 404. */
    Optional<JsonNode> find(String path) {
        try {
            return Optional.of(getWithRetries(url(path)).body());
        } catch (ManagementException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** GET of an absolute or base-relative URL, retried on 5xx, 429 and transport failures. */
    ArmResponse getWithRetries(String url) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait = retryDelay;
            try {
                return send(HttpMethod.GET, url, null);
            } catch (ManagementException e) {
                int status = e.getResponse().getStatusCode();
                if (status < 500 && status != 429) {
                    throw e;
                }
                last = e;
                wait = retryAfter(e, retryDelay);
            } catch (ArmTransportException e) {
                last = e;
            }
            if (attempt < maxAttempts) {
                log.debug("ARM read failed (attempt {} of {}), retrying in {} ms: {}", attempt, maxAttempts,
                        wait.toMillis(), last.getMessage());
                pause(wait);
            }
        }
        throw last;
    }

    /** Longest Retry-After a read waits for; a longer one fails the read (the caller retries later). */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    /**
     * The pause ARM asks for with {@code Retry-After} (seconds) on a 429 or 503, capped at {@link #MAX_RETRY_AFTER};
     * {@code fallback} when it sent none or a value that is not a number of seconds.
     */
    static Duration retryAfter(ManagementException e, Duration fallback) {
        String value = e.getResponse().getHeaders().getValue(HttpHeaderName.RETRY_AFTER);
        if (value == null) {
            return fallback;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            Duration asked = Duration.ofSeconds(Math.max(0, seconds));
            return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER
                    : asked.compareTo(fallback) < 0 ? fallback : asked;
        } catch (NumberFormatException notSeconds) {
            return fallback;
        }
    }

    /** Every item of a list, following {@code nextLink}. */
    List<JsonNode> list(String path) {
        List<JsonNode> items = new ArrayList<>();
        String next = url(path);
        int pages = 0;
        while (next != null && !next.isBlank() && pages++ < 1000) {
            JsonNode page = getWithRetries(next).body();
            page.path("value").forEach(items::add);
            next = page.path("nextLink").asText(null);
        }
        return items;
    }

    /** One POST of a read-only action (e.g. calculatePrice), not retried. */
    ArmResponse post(String path, JsonNode body) {
        return send(HttpMethod.POST, url(path), body);
    }

    /** One PUT, never retried. */
    ArmResponse put(String path, JsonNode body) {
        return send(HttpMethod.PUT, url(path), body);
    }

    String url(String pathOrUrl) {
        if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) {
            return pathOrUrl;
        }
        return baseUrl + pathOrUrl;
    }

    private ArmResponse send(HttpMethod method, String url, JsonNode body) {
        HttpRequest request = new HttpRequest(method, url);
        request.setHeader(HttpHeaderName.ACCEPT, "application/json");
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            try {
                request.setBody(JSON.writeValueAsBytes(body));
                // the JDK client sets Content-Length itself and warns about a caller-set one on every request
                request.getHeaders().remove(HttpHeaderName.CONTENT_LENGTH);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String what = method + " " + URI.create(url).getPath();
        HttpResponse response;
        try {
            response = pipeline.sendSync(request, Context.NONE);
        } catch (RuntimeException e) {
            boolean sent = !ArmTransportException.isConnectFailure(e);
            throw new ArmTransportException(what + ": no answer from Azure (" + rootMessage(e) + ")", sent, e);
        }
        try (HttpResponse r = response) {
            byte[] bytes;
            try {
                bytes = r.getBodyAsBinaryData().toBytes();
            } catch (RuntimeException e) {
                throw new ArmTransportException(what + ": the answer was cut off (" + rootMessage(e) + ")", true, e);
            }
            JsonNode json = parse(bytes);
            int status = r.getStatusCode();
            if (status >= 400) {
                ManagementError error = managementError(json, status);
                throw new ManagementException(what + " answered " + status + " " + error.getCode() + ": "
                        + error.getMessage(), r, error);
            }
            return new ArmResponse(status, r.getHeaders(), json);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static ManagementError managementError(JsonNode body, int status) {
        JsonNode error = body.has("error") ? body.get("error") : body;
        if (error.isObject() && error.has("code")) {
            try (JsonReader reader = JsonProviders.createReader(JSON.writeValueAsBytes(error))) {
                ManagementError parsed = ManagementError.fromJson(reader);
                if (parsed != null && parsed.getCode() != null) {
                    return parsed;
                }
            } catch (IOException e) {
                // fall through to a status-based error
            }
        }
        return new ManagementError("Http" + status, "HTTP " + status + " without an ARM error body");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azure", e);
        }
    }
}
