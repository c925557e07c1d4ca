package dev.pledge.app.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import java.time.Clock;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

/**
 * The console's own filter chain, ahead of the API's: sessions and CSRF tokens for people in a browser,
 * on {@code /console/**} and the OAuth 2.0 client's {@code /login/**} and {@code /oauth2/**} only. The
 * API's chain (Bearer keys, stateless, no cookies) is untouched and answers every other path.
 * <p>
 * The role rules are here, in one place, and repeated in app/API.md. The buttons a page shows follow
 * {@link PurchaseActions}; the rules below and the controllers refuse anyway.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {
    static final String SIGN_IN = "/console/sign-in";
    static final String[] ANY_ROLE = {"VIEWER", "REQUESTER", "APPROVER", "ADMIN"};

    @Bean
    HttpSessionSecurityContextRepository consoleContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    @Order(1)
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleProperties properties,
                                        HttpSessionSecurityContextRepository contexts) throws Exception {
        http.securityMatcher("/console", "/console/**", "/login/**", "/oauth2/**")
                .securityContext(c -> c.securityContextRepository(contexts))
                .csrf(c -> c.csrfTokenRepository(new HttpSessionCsrfTokenRepository()))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .contentSecurityPolicy(c -> c.policyDirectives("default-src 'self'; img-src 'self' data:; "
                                + "style-src 'self'; script-src 'self'; form-action 'self' "
                                + (properties.oidc().configured() ? properties.oidc().issuer() : "")
                                + "; frame-ancestors 'none'")))
                .addFilterBefore(new SessionTimeouts(properties, Clock.systemUTC()), AnonymousAuthenticationFilter.class)
                .logout(l -> l.logoutUrl("/console/sign-out")
                        .logoutSuccessUrl(SIGN_IN + "?signed-out")
                        .deleteCookies("JSESSIONID")
                        .invalidateHttpSession(true))
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor((request, response, ex) -> {
                            // htmx follows HX-Redirect; a plain 302 would swap the sign-in page into a fragment
                            response.setHeader("HX-Redirect", SIGN_IN);
                            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                        }, request -> request.getHeader("HX-Request") != null)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SIGN_IN),
                                request -> true)
                        .accessDeniedHandler(denied()))
                .authorizeHttpRequests(a -> a
                        // the denied page is a forward from the access-denied handler; errors go to the API's /error
                        .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/console/assets/**").permitAll()
                        .requestMatchers(GET, SIGN_IN).permitAll()
                        .requestMatchers(POST, SignInController.KEY_SIGN_IN).permitAll()
                        .requestMatchers("/login/**", "/oauth2/**").permitAll()
                        .requestMatchers(POST, "/console/sign-out").authenticated()
                        .requestMatchers("/console/admin", "/console/admin/**").hasRole("ADMIN")
                        .requestMatchers("/console/purchases/new", "/console/purchases/new/**").hasRole("REQUESTER")
                        .requestMatchers(POST, "/console/purchases/*/approve", "/console/purchases/*/reject",
                                "/console/purchases/*/redrive").hasRole("APPROVER")
                        .requestMatchers(POST, "/console/recommendations/*/propose").hasRole("REQUESTER")
                        .requestMatchers(POST, "/console/recommendations/refresh").hasAnyRole("ADMIN", "APPROVER")
                        // the creator or an ADMIN: checked against the purchase by the controller
                        .requestMatchers(POST, "/console/purchases/*/cancel").hasAnyRole(ANY_ROLE)
                        .requestMatchers(GET, "/console", "/console/**").hasAnyRole(ANY_ROLE)
                        .anyRequest().denyAll());
        if (properties.oidc().configured()) {
            ClientRegistrationRepository registrations = new IssuerRegistrations(properties.oidc());
            var resolver = new DefaultOAuth2AuthorizationRequestResolver(registrations,
                    OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
            resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
            PersonMapping mapping = new PersonMapping(properties.oidc());
            http.oauth2Login(o -> o.loginPage(SIGN_IN)
                    .clientRegistrationRepository(registrations)
                    .authorizationEndpoint(a -> a.authorizationRequestResolver(resolver))
                    .userInfoEndpoint(u -> u.oidcUserService(new PersonOidcUserService(mapping,
                            properties.oidc().identityClaim())))
                    .defaultSuccessUrl("/console", true)
                    .failureUrl(SIGN_IN + "?failed"));
        }
        return http.build();
    }

    private static AccessDeniedHandlerImpl denied() {
        AccessDeniedHandlerImpl handler = new AccessDeniedHandlerImpl();
        handler.setErrorPage("/console/denied");
        return handler;
    }
}
