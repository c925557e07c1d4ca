package dev.pledge.emulator;

import com.github.tomakehurst.wiremock.common.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as a plug-in sees it, independent of WireMock.
 *
 * @param method  upper-case HTTP method
 * @param path    the path without the query string, e.g. {@code /} or {@code /CreateSavingsPlan}
 * @param query   decoded query parameters, in order
 * @param headers header values by lower-case name (first value)
 * @param body    the body as UTF-8 text, empty when there is none
 */
public record CloudRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                           String body) {

    public CloudRequest {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = Collections.unmodifiableMap(lower);
        body = body == null ? "" : body;
    }

    /** Parses {@code url} (path plus optional query string). */
    public static CloudRequest of(String method, String url, Map<String, String> headers, String body) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        Map<String, List<String>> query = q < 0 ? Map.of() : parseUrlEncoded(url.substring(q + 1));
        return new CloudRequest(method.toUpperCase(Locale.ROOT), path, query, headers, body);
    }

    /** A header's value by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as {@code application/x-www-form-urlencoded} parameters (first value of each). */
    public Map<String, String> form() {
        Map<String, String> form = new LinkedHashMap<>();
        parseUrlEncoded(body).forEach((k, v) -> form.put(k, v.get(0)));
        return form;
    }

    /** The body as a JSON object; an empty body is an empty object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json() {
        if (body.isBlank()) {
            return Map.of();
        }
        Object parsed = Json.read(body, Object.class);
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException("the request body is not a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    public static Map<String, List<String>> parseUrlEncoded(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }
}
