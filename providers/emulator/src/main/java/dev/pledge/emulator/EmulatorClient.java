package dev.pledge.emulator;

import com.github.tomakehurst.wiremock.common.Json;
import dev.pledge.common.model.Cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The control API from Java, for tests and fixtures, against an embedded or a standalone emulator.
 * Every method is one HTTP call; a non-2xx answer is an {@link IllegalStateException} with the
 * emulator's message.
 */
public final class EmulatorClient {
    private final URI base;
    private final HttpClient http;

    public EmulatorClient(URI baseUrl) {
        this.base = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/__pledge/");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Every commitment the emulator holds. */
    public List<Commitment> commitments() {
        return commitments(Map.of());
    }

    /** Commitments of one type. */
    public List<Commitment> commitments(Cloud cloud, String type) {
        return commitments(Map.of("cloud", cloud.slug(), "type", type));
    }

    private List<Commitment> commitments(Map<String, String> query) {
        List<Offering> offerings = offerings();
        return list(send("GET", "commitments" + queryString(query), null)).stream()
                .map(m -> EmulatorJson.toCommitment(m, offerings)).toList();
    }

    /** Places a commitment directly, as if bought earlier (fixtures use it to arrange AlreadyExists). */
    public void addCommitment(Commitment commitment) {
        send("POST", "commitments", EmulatorJson.commitment(commitment));
    }

    public List<Offering> offerings() {
        return list(send("GET", "offerings", null)).stream().map(EmulatorJson::toOffering).toList();
    }

    public List<Offering> offerings(Cloud cloud, String type, String region) {
        return offerings().stream().filter(o -> o.cloud() == cloud && o.type().equals(type)
                && (region == null || o.region().equals(region))).toList();
    }

    public void addOffering(Offering offering) {
        send("POST", "offerings", EmulatorJson.offering(offering));
    }

    public void inject(FaultSpec fault) {
        send("POST", "faults", EmulatorJson.fault(fault));
    }

    /** The armed faults with their remaining counts. */
    public List<FaultSpec> faults() {
        return list(send("GET", "faults", null)).stream().map(EmulatorJson::toFault).toList();
    }

    public void clearFaults() {
        send("DELETE", "faults", null);
    }

    public List<RequestCount> requestCounts() {
        return list(send("GET", "requests", null)).stream().map(EmulatorJson::toCount).toList();
    }

    /** Requests of one kind for a type that reached the emulator, summed over operations. */
    public int requestCount(Cloud cloud, String type, CallKind kind) {
        return requestCounts().stream().filter(r -> r.call().cloud() == cloud && type.equals(r.call().type())
                && r.call().kind() == kind).mapToInt(RequestCount::count).sum();
    }

    /** Requests of one operation that reached the emulator. */
    public int requestCount(Cloud cloud, String operation) {
        return requestCounts().stream().filter(r -> r.call().cloud() == cloud
                && r.call().operation().equalsIgnoreCase(operation)).mapToInt(RequestCount::count).sum();
    }

    public void reset() {
        send("POST", "reset", Map.of());
    }

    /** Moves the emulator's time forward (provisioning and payment states advance with it). */
    public void advanceClock(Duration by) {
        send("POST", "clock", Map.of("advanceMs", by.toMillis()));
    }

    public void setLatency(Duration latency) {
        send("POST", "latency", Map.of("latencyMs", latency.toMillis()));
    }

    private String send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("emulator " + method + " /__pledge/" + path + " answered "
                        + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("emulator at " + base + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String json) {
        return (List<Map<String, Object>>) (List<?>) Json.read(json, List.class);
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        return new LinkedHashMap<>(query).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }
}
