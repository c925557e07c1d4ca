package dev.pledge.app.security;

import dev.pledge.common.logging.Masking;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** Turns a presented API key into its principal, or refuses it. The only way into the API. */
@Component
class ApiKeyAuthenticationProvider implements AuthenticationProvider {
    private final ApiKeyService keys;
    private final ApiProperties properties;

    ApiKeyAuthenticationProvider(ApiKeyService keys, ApiProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String secret = ((ApiKeyAuthentication) authentication).secret();
        ApiKey key = keys.authenticate(secret, properties.lastUsedResolution())
                .orElseThrow(() -> new BadCredentialsException("the API key " + Masking.mask(secret)
                        + " is not valid or has been revoked"));
        return ApiKeyAuthentication.of(new ApiPrincipal(key.id(), key.name(), key.owner(), key.roles()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
