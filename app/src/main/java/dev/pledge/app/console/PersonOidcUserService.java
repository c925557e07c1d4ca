package dev.pledge.app.console;

import dev.pledge.app.security.Role;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import java.util.List;

/**
 * Signs a person in from the identity provider's ID token (and user info): their name is the identity
 * claim, their authorities the Pledge roles their groups map to, nothing else.
 */
final class PersonOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {
    private final OidcUserService delegate = new OidcUserService();
    private final PersonMapping mapping;
    private final String identityClaim;

    PersonOidcUserService(PersonMapping mapping, String identityClaim) {
        this.mapping = mapping;
        this.identityClaim = identityClaim;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = delegate.loadUser(request);
        Person person;
        try {
            person = mapping.person(user.getClaims());
        } catch (IllegalArgumentException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_identity", e.getMessage(), null),
                    e.getMessage());
        }
        List<GrantedAuthority> authorities = person.roles().stream().sorted()
                .map(Role::authority).<GrantedAuthority>map(SimpleGrantedAuthority::new).toList();
        return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), identityClaim);
    }
}
