package dev.pledge.app.console;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.mockwebserver.RecordedRequest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OpenID provider in the test JVM (mock-oauth2-server on a free port) with its interactive login
 * page: a person types a subject and the claims of their ID token (email, groups), as they would sign
 * in at the company's provider. Points {@code pledge.console.oidc.*} at its issuer {@value #ISSUER}.
 */
final class MockIdentityProvider implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    static final String ISSUER = "company";
    static final String CLIENT_ID = "pledge-console";
    static final String CLIENT_SECRET = "console-test-client-secret";
    private static volatile MockOAuth2Server server;

    static synchronized MockOAuth2Server get() {
        if (server == null) {
            MockOAuth2Server s = new MockOAuth2Server(new OAuth2Config(true));
            s.start();
            Runtime.getRuntime().addShutdownHook(new Thread(s::shutdown, "idp-stop"));
            server = s;
        }
        return server;
    }

    /** Every request the provider has received since the last call. */
    static List<RecordedRequest> drain() {
        List<RecordedRequest> out = new ArrayList<>();
        while (true) {
            RecordedRequest r;
            try {
                r = get().takeRequest(10, TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                return out;
            }
            if (r == null) {
                return out;
            }
            out.add(r);
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "pledge.console.oidc.issuer=" + get().issuerUrl(ISSUER),
                "pledge.console.oidc.client-id=" + CLIENT_ID,
                "pledge.console.oidc.client-secret=" + CLIENT_SECRET,
                "pledge.console.oidc.role-groups.APPROVER=finops-approvers",
                "pledge.console.oidc.role-groups.REQUESTER=platform-team"
        ).applyTo(context);
    }
}
