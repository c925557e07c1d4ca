package dev.pledge.app.security;

import dev.pledge.common.logging.Masking;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.List;

/**
 * A request's API key: before authentication it carries the presented secret (masked in
 * {@link #toString()}); after, the {@link ApiPrincipal} and its roles, and no secret at all.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;
    private final transient String secret;
    private final ApiPrincipal principal;

    private ApiKeyAuthentication(String secret) {
        super(List.of());
        this.secret = secret;
        this.principal = null;
    }

    private ApiKeyAuthentication(ApiPrincipal principal) {
        super(principal.roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
        this.secret = null;
        this.principal = principal;
        setAuthenticated(true);
    }

    static ApiKeyAuthentication presented(String secret) {
        return new ApiKeyAuthentication(secret);
    }

    static ApiKeyAuthentication of(ApiPrincipal principal) {
        return new ApiKeyAuthentication(principal);
    }

    String secret() {
        return secret;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public ApiPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal == null ? Masking.mask(secret) : principal.actor();
    }

    @Override
    public String toString() {
        return "ApiKeyAuthentication[" + getName() + (principal == null ? "" : ", " + principal.roles()) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKeyAuthentication other && java.util.Objects.equals(principal, other.principal)
                && java.util.Objects.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(principal, secret);
    }
}
