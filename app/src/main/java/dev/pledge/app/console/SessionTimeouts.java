package dev.pledge.app.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * Idle and absolute timeouts of a signed-in session. The first request after sign-in stamps the
 * session and sets its idle timeout (the container ends it when unused that long); a session older
 * than the absolute timeout is ended here, whatever its use, and the person signs in again.
 */
final class SessionTimeouts extends OncePerRequestFilter {
    static final String SIGNED_IN_AT = SessionTimeouts.class.getName() + ".SIGNED_IN_AT";

    private final ConsoleProperties properties;
    private final Clock clock;

    SessionTimeouts(ConsoleProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (session != null && auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)) {
            Instant now = clock.instant();
            Object stamped = session.getAttribute(SIGNED_IN_AT);
            if (stamped == null) {
                session.setAttribute(SIGNED_IN_AT, now);
                session.setMaxInactiveInterval((int) Math.min(Integer.MAX_VALUE, properties.idleTimeout().toSeconds()));
            } else if (((Instant) stamped).plus(properties.absoluteTimeout()).isBefore(now)) {
                session.invalidate();
                SecurityContextHolder.clearContext();
                if (request.getHeader("HX-Request") != null) {
                    response.setHeader("HX-Redirect", ConsoleSecurity.SIGN_IN + "?expired");
                    response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                } else {
                    response.sendRedirect(ConsoleSecurity.SIGN_IN + "?expired");
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
