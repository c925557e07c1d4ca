package dev.pledge.app.security;

import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Reads the API key from {@code Authorization: Bearer <key>} (or {@code X-API-Key: <key>}, which the
 * {@code pledge} command sends). A request without a key goes on unauthenticated, and the
 * authorization rules answer 401 unless the endpoint is open; a key that is wrong or revoked is
 * answered 401 here.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {
    static final String KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeyAuthenticationProvider provider;
    private final BadKeyLimiter limiter;

    ApiKeyAuthenticationFilter(ApiKeyAuthenticationProvider provider, BadKeyLimiter limiter) {
        this.provider = provider;
        this.limiter = limiter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String secret;
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                unauthorized(request, response, "the Authorization header must be 'Bearer <API key>'");
                return;
            }
            secret = authorization.substring(BEARER.length()).trim();
        } else {
            secret = request.getHeader(KEY_HEADER);
        }
        if (secret == null) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        java.time.Duration wait = limiter.retryAfter(address);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            ProblemWriter.write(request, response, Problem.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-bad-keys",
                    "Too many bad API keys", "too many requests with a wrong or revoked API key came from this "
                            + "address; try again in " + seconds + " s"));
            return;
        }
        try {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(provider.authenticate(ApiKeyAuthentication.presented(secret.trim())));
            SecurityContextHolder.setContext(context);
        } catch (AuthenticationException e) {
            SecurityContextHolder.clearContext();
            limiter.failed(address);
            unauthorized(request, response, e.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        ProblemWriter.write(request, response, Problem.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                "API key missing or not valid", detail));
    }
}
