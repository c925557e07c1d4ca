package dev.pledge.emulator;

import com.github.tomakehurst.wiremock.common.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a plug-in answers: status, headers and a text body. */
public record CloudResponse(int status, Map<String, String> headers, String body) {

    public CloudResponse {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    public static CloudResponse xml(int status, String body) {
        return new CloudResponse(status, Map.of("Content-Type", "text/xml;charset=UTF-8"), body);
    }

    public static CloudResponse json(int status, String contentType, Object body) {
        return new CloudResponse(status, Map.of("Content-Type", contentType), Json.write(body));
    }

    public static CloudResponse json(int status, Object body) {
        return json(status, "application/json", body);
    }

    /** The same response with one more header. */
    public CloudResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new CloudResponse(status, h, body);
    }
}
