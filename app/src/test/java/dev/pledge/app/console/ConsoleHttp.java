package dev.pledge.app.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser: one cookie jar (one console session), redirects not followed so each
 * answer can be checked, and the CSRF token read from the last page, as a form would send it.
 */
final class ConsoleHttp {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final HttpClient client;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    final String base;
    private String csrf;

    ConsoleHttp(int port) {
        this.base = "http://localhost:" + port;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Signs in with an API key through the demo form; asserts nothing, returns the answer. */
    HttpResponse<String> signInWithKey(String key) {
        get("/console/sign-in");
        return post("/console/sign-in/key", Map.of("apiKey", key));
    }

    /**
     * Signs in at the in-process identity provider as {@code subject} with these claims (JSON), following
     * the redirects of the authorization code flow as a browser does.
     */
    HttpResponse<String> signInWithSso(String subject, String claimsJson) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/oauth2/authorization/"
                + IssuerRegistrations.ID)).GET());
        String authorize = location(r);
        send(HttpRequest.newBuilder(URI.create(authorize)).GET());
        r = send(HttpRequest.newBuilder(URI.create(authorize))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", subject, "claims", claimsJson)))));
        r = send(HttpRequest.newBuilder(URI.create(location(r))).GET());
        return r;
    }

    HttpResponse<String> get(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        Matcher m = CSRF.matcher(r.body());
        if (m.find()) {
            csrf = m.group(1).replace("&#45;", "-");
        }
        return r;
    }

    /** A form POST with the session's CSRF token. */
    HttpResponse<String> post(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (csrf != null) {
            all.put("_csrf", csrf);
        }
        return postRaw(path, form(all));
    }

    HttpResponse<String> postRaw(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<java.net.HttpCookie> cookies() {
        return cookies.getCookieStore().getCookies();
    }

    static String location(HttpResponse<?> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no redirect: "
                + r.statusCode() + " " + r.body()));
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
