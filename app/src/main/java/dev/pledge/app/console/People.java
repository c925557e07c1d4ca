package dev.pledge.app.console;

import dev.pledge.app.security.Role;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The {@link Person} of the request's sign-in, for controller parameters of that type. */
final class People implements HandlerMethodArgumentResolver {

    static Optional<Person> current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    static Optional<Person> of(Authentication auth) {
        if (auth == null || !auth.isAuthenticated()) {
            return Optional.empty();
        }
        if (auth instanceof KeySignIn k) {
            return Optional.of(k.getPrincipal());
        }
        if (auth.getPrincipal() instanceof OidcUser) {
            return Optional.of(new Person(auth.getName(), roles(auth), "sso"));
        }
        return Optional.empty();
    }

    private static Set<Role> roles(Authentication auth) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority a : auth.getAuthorities()) {
            for (Role r : Role.values()) {
                if (r.authority().equals(a.getAuthority())) {
                    roles.add(r);
                }
            }
        }
        return roles;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Person.class;
    }

    @Override
    public Person resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binders) {
        return current().orElseThrow(() -> new IllegalStateException("a console page was reached without sign-in"));
    }
}
