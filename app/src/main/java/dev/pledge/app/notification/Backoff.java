package dev.pledge.app.notification;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait after a failed attempt: {@code initial x 2^(attempt-1)}, at most {@code max}, then a random
 * point in its upper half ("equal jitter"): receivers that came back are not hit by every sender at once,
 * and the wait never drops below half the exponential step.
 */
record Backoff(Duration initial, Duration max, DoubleSupplier random) {

    Duration after(int attempt) {
        long initialMillis = Math.max(1, initial.toMillis());
        int doublings = Math.max(0, Math.min(attempt - 1, 40));
        long step = initialMillis > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : initialMillis << doublings;
        long capped = Math.min(step, max.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (capped - half)));
    }
}
