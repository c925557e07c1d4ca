package dev.pledge.app.console;

import dev.pledge.app.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextHolder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Idle and absolute timeouts, on a clock the test moves. */
class SessionTimeoutsTest {
    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");
    private final ConsoleProperties properties = new ConsoleProperties(false, Duration.ofMinutes(30),
            Duration.ofHours(8), Duration.ofSeconds(2), new ConsoleProperties.Oidc(null, null, null, "email", "groups",
            null, java.util.List.of("openid")));
    private final MockHttpSession session = new MockHttpSession();

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private MockHttpServletResponse request(Instant at, String hx) throws Exception {
        SecurityContextHolder.getContext().setAuthentication(new KeySignIn(new Person("alice", Set.of(Role.VIEWER),
                "api-key")));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/console");
        request.setSession(session);
        if (hx != null) {
            request.addHeader("HX-Request", hx);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new SessionTimeouts(properties, Clock.fixed(at, ZoneOffset.UTC)).doFilter(request, response, chain);
        response.setHeader("X-Passed", chain.getRequest() == null ? "no" : "yes");
        return response;
    }

    @Test
    void the_first_request_after_sign_in_stamps_the_session_and_sets_the_idle_timeout() throws Exception {
        assertThat(request(T0, null).getHeader("X-Passed")).isEqualTo("yes");
        assertThat(session.getAttribute(SessionTimeouts.SIGNED_IN_AT)).isEqualTo(T0);
        assertThat(session.getMaxInactiveInterval()).isEqualTo(30 * 60);
    }

    @Test
    void a_busy_session_ends_at_the_absolute_timeout() throws Exception {
        request(T0, null);
        assertThat(request(T0.plus(Duration.ofHours(8)), null).getHeader("X-Passed")).isEqualTo("yes");
        MockHttpServletResponse late = request(T0.plus(Duration.ofHours(8)).plusSeconds(1), null);
        assertThat(late.getHeader("X-Passed")).isEqualTo("no");
        assertThat(late.getRedirectedUrl()).isEqualTo("/console/sign-in?expired");
        assertThat(session.isInvalid()).isTrue();
        assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
    }

    @Test
    void an_htmx_poll_after_the_absolute_timeout_is_told_where_to_sign_in() throws Exception {
        request(T0, null);
        MockHttpServletResponse late = request(T0.plus(Duration.ofHours(9)), "true");
        assertThat(late.getStatus()).isEqualTo(401);
        assertThat(late.getHeader("HX-Redirect")).isEqualTo("/console/sign-in?expired");
    }
}
