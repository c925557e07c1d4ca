package dev.pledge.app.security;

import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

/**
 * Who may call what. Every request needs an API key except health and the API documents; the role
 * table is here, in one place, and repeated in app/API.md. Roles do not imply each other.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String[] ANY_ROLE = {"VIEWER", "REQUESTER", "APPROVER", "ADMIN"};

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyAuthenticationProvider provider, ApiProperties api,
                                    BadKeyLimiter limiter) throws Exception {
        if (api.fourEyes()) {
            log.info("four-eyes is on: the owner of the key that created a purchase cannot approve or re-drive it");
        } else {
            log.warn("FOUR-EYES APPROVAL IS OFF (pledge.api.four-eyes=false): a person holding REQUESTER and APPROVER "
                    + "keys can approve and re-drive their own purchases");
        }
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(provider, limiter), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) ->
                                ApiKeyAuthenticationFilter.unauthorized(request, response,
                                        "this endpoint needs an API key: send 'Authorization: Bearer <key>'"))
                        .accessDeniedHandler((request, response, ex) -> ProblemWriter.write(request, response,
                                Problem.of(HttpStatus.FORBIDDEN, "forbidden", "Role missing",
                                        denial(request.getMethod(), request.getRequestURI())))))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/api/v1/keys", "/api/v1/keys/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/admin-requests", "/api/v1/admin-requests/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/audit/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/notifications", "/api/v1/notifications/**").hasRole("ADMIN")
                        .requestMatchers(POST, "/api/v1/accounts").hasRole("ADMIN")
                        .requestMatchers(PATCH, "/api/v1/accounts/*").hasRole("ADMIN")
                        .requestMatchers(PUT, "/api/v1/accounts/*/budget", "/api/v1/budget").hasRole("ADMIN")
                        .requestMatchers(POST, "/api/v1/plans", "/api/v1/plans/**").hasRole("ADMIN")
                        .requestMatchers(GET, "/api/v1/**").hasAnyRole(ANY_ROLE)
                        .requestMatchers(POST, "/api/v1/purchases").hasRole("REQUESTER")
                        .requestMatchers(POST, "/api/v1/recommendations/refresh").hasAnyRole("ADMIN", "APPROVER")
                        .requestMatchers(POST, "/api/v1/recommendations/*/propose").hasRole("REQUESTER")
                        .requestMatchers(POST, "/api/v1/purchases/*/approve", "/api/v1/purchases/*/reject",
                                "/api/v1/purchases/*/redrive").hasRole("APPROVER")
                        // the creator or an ADMIN: checked against the execution by the controller
                        .requestMatchers(POST, "/api/v1/purchases/*/cancel").hasAnyRole(ANY_ROLE)
                        .requestMatchers("/actuator/**").hasAnyRole(ANY_ROLE)
                        .anyRequest().authenticated());
        return http.build();
    }

    private static String denial(String method, String path) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        String who = auth != null && auth.getPrincipal() instanceof ApiPrincipal p
                ? "the key '" + p.name() + "' (roles " + p.roles().stream().sorted().toList() + ")"
                : "this key";
        return who + " may not " + method + " " + path + ": " + needed(method, path);
    }

    /** The role an endpoint needs, for the 403 message; mirrors the rules above. */
    static String needed(String method, String path) {
        if (path.startsWith("/api/v1/keys")) {
            return "managing API keys needs ADMIN";
        }
        if (path.equals("/api/v1/budget") || path.matches("/api/v1/accounts/[^/]+/budget")) {
            return "setting budgets needs ADMIN";
        }
        if (path.startsWith("/api/v1/plans")) {
            return "managing plans needs ADMIN";
        }
        if (path.startsWith("/api/v1/admin-requests")) {
            return "admin requests need ADMIN";
        }
        if (path.startsWith("/api/v1/audit")) {
            return "verifying and exporting the audit trail need ADMIN";
        }
        if (path.startsWith("/api/v1/notifications")) {
            return "reading the notification outbox needs ADMIN";
        }
        if (path.startsWith("/api/v1/accounts")) {
            return "changing accounts needs ADMIN";
        }
        if (path.equals("/api/v1/purchases")) {
            return "creating a purchase needs REQUESTER";
        }
        if (path.matches("/api/v1/purchases/[^/]+/(approve|reject|redrive)")) {
            return "approving, rejecting and re-driving need APPROVER";
        }
        if (path.equals("/api/v1/recommendations/refresh")) {
            return "refreshing recommendations needs ADMIN or APPROVER";
        }
        if (path.matches("/api/v1/recommendations/[^/]+/propose")) {
            return "proposing a purchase from a recommendation needs REQUESTER";
        }
        if (path.matches("/api/v1/purchases/[^/]+/cancel")) {
            return "only the key that created a purchase, or an ADMIN key, may cancel it";
        }
        return "see the role table in app/API.md";
    }
}
