package dev.pledge.app.console;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * The one client registration, {@code pledge}, read from the issuer's discovery document on first
 * use rather than at start: the service starts (and the API works) while the identity provider is
 * down, and a failed read is tried again on the next sign-in.
 */
final class IssuerRegistrations implements ClientRegistrationRepository {
    static final String ID = "pledge";

    private final ConsoleProperties.Oidc oidc;
    private volatile ClientRegistration registration;

    IssuerRegistrations(ConsoleProperties.Oidc oidc) {
        this.oidc = oidc;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!ID.equals(registrationId)) {
            return null;
        }
        ClientRegistration r = registration;
        if (r == null) {
            synchronized (this) {
                r = registration;
                if (r == null) {
                    r = registration = read();
                }
            }
        }
        return r;
    }

    private ClientRegistration read() {
        boolean publicClient = oidc.clientSecret() == null || oidc.clientSecret().isBlank();
        try {
            return ClientRegistrations.fromIssuerLocation(oidc.issuer())
                    .registrationId(ID)
                    .clientId(oidc.clientId())
                    .clientSecret(publicClient ? null : oidc.clientSecret())
                    .clientAuthenticationMethod(publicClient ? ClientAuthenticationMethod.NONE
                            : ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .scope(oidc.scopes())
                    .userNameAttributeName(oidc.identityClaim())
                    .clientName("Single sign-on")
                    .build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not read the OpenID configuration of " + oidc.issuer()
                    + " (pledge.console.oidc.issuer): " + e.getMessage(), e);
        }
    }
}
