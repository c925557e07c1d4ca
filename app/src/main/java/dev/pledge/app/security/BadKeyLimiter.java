package dev.pledge.app.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits failed authentications per client address with a token bucket: {@code pledge.api.bad-key-burst}
 * bad keys at once, then one more per {@code pledge.api.bad-key-refill}. While a bucket is empty, every
 * request from that address that presents a key is answered 429 with Retry-After before the key is even
 * looked up, so guessing keys costs time. Good keys never take a token. Counted in
 * {@code pledge_api_bad_keys_total} and {@code pledge_api_bad_keys_limited_total}.
 */
@Component
public class BadKeyLimiter {
    static final int MAX_ADDRESSES = 100_000;

    private final long capacity;
    private final long refillNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Counter bad;
    private final Counter limited;

    @Autowired
    BadKeyLimiter(ApiProperties properties, MeterRegistry meters) {
        this(properties.badKeyBurst(), properties.badKeyRefill(), System::nanoTime, meters);
    }

    BadKeyLimiter(int burst, Duration refill, LongSupplier nanoTime, MeterRegistry meters) {
        this.capacity = burst;
        this.refillNanos = refill.toNanos();
        this.nanoTime = nanoTime;
        this.bad = Counter.builder("pledge.api.bad.keys").description("requests with a wrong or revoked API key")
                .register(meters);
        this.limited = Counter.builder("pledge.api.bad.keys.limited")
                .description("requests refused with 429 after too many bad keys from one address").register(meters);
    }

    /** One address's tokens, refilled lazily; guarded by its own monitor. */
    private final class Bucket {
        private double tokens = capacity;
        private long updated = nanoTime.getAsLong();

        synchronized long waitNanos() {
            refill();
            return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * refillNanos);
        }

        synchronized void take() {
            refill();
            tokens = Math.max(0, tokens - 1);
        }

        synchronized boolean full() {
            refill();
            return tokens >= capacity;
        }

        private void refill() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(capacity, tokens + (double) (now - updated) / refillNanos);
            updated = now;
        }
    }

    /** Zero when the address may present a key now, else how long it must wait. */
    public Duration retryAfter(String address) {
        Bucket b = buckets.get(address);
        long wait = b == null ? 0 : b.waitNanos();
        if (wait > 0) {
            limited.increment();
        }
        return Duration.ofNanos(wait);
    }

    /** Records a bad key from the address. */
    public void failed(String address) {
        bad.increment();
        if (buckets.size() >= MAX_ADDRESSES) {
            buckets.values().removeIf(Bucket::full);
        }
        buckets.computeIfAbsent(address, a -> new Bucket()).take();
    }
}
