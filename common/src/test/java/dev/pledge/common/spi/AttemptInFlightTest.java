package dev.pledge.common.spi;

import dev.pledge.common.idempotency.ExecutionToken;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An unfinished attempt may still be buying until its bound has passed, whatever came after it: the
 * engine records the attempt of a worker that waited for it (WAITED, finished), and that must not hide it.
 */
class AttemptInFlightTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration BOUND = Duration.ofMinutes(10);

    private static PurchaseContext context(Attempt... attempts) {
        return PurchaseContext.withAttempts(ExecutionToken.generate().item(0), "e", List.of(attempts));
    }

    @Test
    void an_unfinished_attempt_followed_by_a_finished_one_that_waited_for_it_is_still_in_flight() {
        Attempt lostWorker = Attempt.unfinished(T0);
        Attempt waited = new Attempt(T0.plusSeconds(60), T0.plusSeconds(61), false);
        PurchaseContext context = context(lostWorker, waited);

        assertThat(context.attemptInFlight(T0.plusSeconds(120), BOUND)).contains(lostWorker);
        assertThatThrownBy(() -> AttemptInFlightException.refuseIfInFlight(context, T0.plusSeconds(120), BOUND))
                .isInstanceOf(AttemptInFlightException.class)
                .satisfies(e -> assertThat(((AttemptInFlightException) e).retryAfter()).isEqualTo(T0.plus(BOUND)));
    }

    @Test
    void once_the_bound_has_passed_nothing_is_in_flight() {
        PurchaseContext context = context(Attempt.unfinished(T0), new Attempt(T0.plusSeconds(60), T0.plusSeconds(61), false));

        assertThat(context.attemptInFlight(T0.plus(BOUND), BOUND)).isEmpty();
    }
}
