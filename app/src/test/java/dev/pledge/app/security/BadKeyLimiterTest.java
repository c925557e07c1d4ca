package dev.pledge.app.security;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BadKeyLimiterTest {

    @Test
    void a_bucket_per_address_refills_one_token_per_interval() {
        AtomicLong now = new AtomicLong();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BadKeyLimiter limiter = new BadKeyLimiter(2, Duration.ofSeconds(10), now::get, meters);

        limiter.failed("10.0.0.1");
        assertThat(limiter.retryAfter("10.0.0.1")).isZero();
        limiter.failed("10.0.0.1");
        assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ofSeconds(10));
        assertThat(limiter.retryAfter("10.0.0.2")).as("another address").isZero();

        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(limiter.retryAfter("10.0.0.1")).isEqualTo(Duration.ofSeconds(6));
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(limiter.retryAfter("10.0.0.1")).isZero();
        assertThat(meters.get("pledge.api.bad.keys").counter().count()).isEqualTo(2);
        assertThat(meters.get("pledge.api.bad.keys.limited").counter().count()).isEqualTo(2);
    }
}
