package dev.pledge.app.web.problem;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance},
 * and for bad input the {@code field} at fault. Extension members are added with {@link #with}.
 */
public final class Problem {
    private static final String TYPE_PREFIX = "urn:pledge:problem:";
    private final HttpStatus status;
    private final Map<String, Object> body = new LinkedHashMap<>();

    private Problem(HttpStatus status, String type, String title, String detail) {
        this.status = status;
        body.put("type", TYPE_PREFIX + type);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
    }

    /**
     * @param type  a short stable name, e.g. {@code invalid-request}; becomes {@code urn:pledge:problem:<type>}
     * @param title the same for every problem of this type
     * @param detail what is wrong in this case and what to do about it
     */
    public static Problem of(HttpStatus status, String type, String title, String detail) {
        return new Problem(status, type, title, detail);
    }

    /** Bad input: 400, naming the field. */
    public static Problem invalid(String field, String problem) {
        return of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", field + ": " + problem)
                .with("field", field);
    }

    public Problem with(String member, Object value) {
        if (value != null) {
            body.put(member, value);
        }
        return this;
    }

    public Problem instance(String path) {
        return with("instance", path);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return ((String) body.get("type")).substring(TYPE_PREFIX.length());
    }

    public Map<String, Object> body() {
        return Collections.unmodifiableMap(body);
    }

    public ResponseEntity<Map<String, Object>> toResponse() {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body());
    }
}
