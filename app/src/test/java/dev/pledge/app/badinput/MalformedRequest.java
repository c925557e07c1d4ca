package dev.pledge.app.badinput;

import java.nio.charset.StandardCharsets;

/**
 * One request the API must refuse: a 4xx answer with Problem Details, and nothing written.
 *
 * @param name        what is wrong with it, as the test's display name
 * @param method      HTTP method
 * @param path        path and query under the service's root
 * @param contentType Content-Type header, or null for none
 * @param body        the bytes sent, or null for no body
 */
record MalformedRequest(String name, String method, String path, String contentType, byte[] body) {

    static MalformedRequest json(String name, String method, String path, String body) {
        return new MalformedRequest(name, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static MalformedRequest post(String name, String path, Object body) {
        return json(name, "POST", path, JsonText.write(body));
    }

    @Override
    public String toString() {
        return method + " " + abbreviate(path) + ": " + name;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
