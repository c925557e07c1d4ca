package dev.pledge.app.console;

import dev.pledge.app.security.Role;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code pledge.console.*}: the web console. Checked when bound; a bad value refuses to start with a
 * message naming the property.
 *
 * @param demoSignIn      offer "Sign in with an API key" (set by {@code pledge serve} in demo mode only)
 * @param idleTimeout     a session unused this long is over
 * @param absoluteTimeout a session this old is over however busy, so a stolen cookie does not live forever
 * @param pollInterval    how often a page showing a running purchase asks for its status
 */
@ConfigurationProperties("pledge.console")
public record ConsoleProperties(
        @DefaultValue("false") boolean demoSignIn,
        @DefaultValue("30m") Duration idleTimeout,
        @DefaultValue("8h") Duration absoluteTimeout,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue Oidc oidc) {
    private static final String P = "pledge.console.";

    public ConsoleProperties {
        positive(P + "idle-timeout", idleTimeout);
        positive(P + "absolute-timeout", absoluteTimeout);
        positive(P + "poll-interval", pollInterval);
        if (absoluteTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException(P + "absolute-timeout (" + absoluteTimeout + ") must not be shorter "
                    + "than " + P + "idle-timeout (" + idleTimeout + ")");
        }
    }

    /**
     * Sign-in through the company's identity provider (OpenID Connect, authorization code with PKCE).
     *
     * @param issuer        the provider's issuer URL (its {@code /.well-known/openid-configuration} is read on
     *                      first sign-in); unset means no single sign-on
     * @param clientSecret  unset for a public client (PKCE alone)
     * @param identityClaim the claim naming the person, who owns everything they do (default {@code email})
     * @param rolesClaim    the claim listing the person's groups or roles (default {@code groups})
     * @param roleGroups    which groups grant which Pledge role, e.g. {@code role-groups.APPROVER=finops-approvers};
     *                      a role without an entry is granted by a group of its own name (e.g. {@code APPROVER})
     */
    public record Oidc(String issuer, String clientId, String clientSecret,
                       @DefaultValue("email") String identityClaim,
                       @DefaultValue("groups") String rolesClaim,
                       Map<Role, List<String>> roleGroups,
                       @DefaultValue({"openid", "email", "profile"}) List<String> scopes) {
        public Oidc {
            if (issuer != null && issuer.isBlank()) {
                issuer = null;
            }
            if (issuer != null && !issuer.startsWith("https://") && !issuer.startsWith("http://")) {
                throw new IllegalArgumentException(P + "oidc.issuer must be an http(s) URL, was '" + issuer + "'");
            }
            if (issuer != null && (clientId == null || clientId.isBlank())) {
                throw new IllegalArgumentException(P + "oidc.client-id is required when " + P + "oidc.issuer is set");
            }
            if (identityClaim == null || identityClaim.isBlank()) {
                throw new IllegalArgumentException(P + "oidc.identity-claim must name a claim, e.g. email");
            }
            if (rolesClaim == null || rolesClaim.isBlank()) {
                throw new IllegalArgumentException(P + "oidc.roles-claim must name a claim, e.g. groups");
            }
            roleGroups = roleGroups == null || roleGroups.isEmpty() ? Map.of() : Map.copyOf(roleGroups);
            if (scopes == null || !scopes.contains("openid")) {
                throw new IllegalArgumentException(P + "oidc.scopes must contain openid, was " + scopes);
            }
            scopes = List.copyOf(scopes);
        }

        public boolean configured() {
            return issuer != null;
        }

        @Override
        public String toString() {
            return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null ? "none" : "(set)") + ", identityClaim=" + identityClaim
                    + ", rolesClaim=" + rolesClaim + ", roleGroups=" + roleGroups + ", scopes=" + scopes + "]";
        }
    }

    private static void positive(String property, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(property + " must be a positive duration (e.g. 30m), was " + d);
        }
    }
}
