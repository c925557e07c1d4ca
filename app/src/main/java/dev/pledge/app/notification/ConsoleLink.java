package dev.pledge.app.notification;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

/**
 * {@code pledge.console.base-url}: where people open Pledge's console. Notifications link to the page of
 * their subject ({@code <base-url>/purchases/<id>}, {@code <base-url>/commitments}); without it they carry
 * no link. A link opens a page that asks the person to sign in; it never acts by itself.
 */
@ConfigurationProperties("pledge.console")
public record ConsoleLink(URI baseUrl) {
    public ConsoleLink {
        if (baseUrl != null) {
            String scheme = baseUrl.getScheme();
            if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("pledge.console.base-url must be an absolute http(s) URL, was '"
                        + baseUrl + "'");
            }
        }
    }

    String of(Notification n) {
        if (baseUrl == null) {
            return null;
        }
        String base = baseUrl.toString().replaceAll("/+$", "");
        return switch (n.event().subject()) {
            case PURCHASE -> n.executionId() == null ? base : base + "/purchases/" + n.executionId();
            case COMMITMENT -> base + "/commitments";
            case BUDGET -> base + "/budgets";
            case PLAN -> base + "/plans";
        };
    }
}
