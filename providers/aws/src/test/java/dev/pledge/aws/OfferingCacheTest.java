package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache's own rules: keys, expiry by the injected clock, the size bound, invalidation, zero TTL. */
class OfferingCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    private static OfferingCache.Key key(String product) {
        return OfferingCache.Key.of(new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012", "us-east-1",
                product, 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of()));
    }

    private static OfferingRef offering(String id) {
        return new OfferingRef(id, "db.r6g.large", "USD", BigDecimal.ZERO, new BigDecimal("0.182"));
    }

    @Test
    void the_key_leaves_out_the_quantity_only() {
        CommitmentRequest two = new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012", "us-east-1",
                "db.r6g.large", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
        CommitmentRequest five = new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012", "us-east-1",
                "db.r6g.large", 5, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
        CommitmentRequest elastiCache = new CommitmentRequest(CommitmentType.AWS_ELASTICACHE, "123456789012",
                "us-east-1", "db.r6g.large", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
        CommitmentRequest multiAz = new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012", "us-east-1",
                "db.r6g.large", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("multiAz", "true"));

        assertThat(OfferingCache.Key.of(two)).isEqualTo(OfferingCache.Key.of(five));
        assertThat(OfferingCache.Key.of(two)).isNotEqualTo(OfferingCache.Key.of(elastiCache));
        assertThat(OfferingCache.Key.of(two)).isNotEqualTo(OfferingCache.Key.of(multiAz));
    }

    @Test
    void an_entry_lives_exactly_the_ttl_and_a_clock_that_went_back_expires_it() {
        OfferingCache cache = new OfferingCache(Duration.ofMinutes(5), clock, 10);
        cache.put(key("a"), offering("o-a"));

        clock.advance(Duration.ofMinutes(5).minusNanos(1));
        assertThat(cache.get(key("a"))).contains(offering("o-a"));
        clock.advance(Duration.ofNanos(1));
        assertThat(cache.get(key("a"))).isEmpty();
        assertThat(cache.size()).as("the expired entry is dropped").isZero();

        cache.put(key("a"), offering("o-a"));
        clock.advance(Duration.ofSeconds(-1));
        assertThat(cache.get(key("a"))).isEmpty();
    }

    @Test
    void beyond_its_size_the_entry_stored_longest_ago_goes_first() {
        OfferingCache cache = new OfferingCache(Duration.ofMinutes(5), clock, 3);
        cache.put(key("a"), offering("o-a"));
        cache.put(key("b"), offering("o-b"));
        cache.put(key("c"), offering("o-c"));
        cache.put(key("a"), offering("o-a")); // stored again: now the newest
        cache.put(key("d"), offering("o-d"));

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get(key("b"))).isEmpty();
        assertThat(cache.get(key("a"))).isPresent();
        assertThat(cache.get(key("c"))).isPresent();
        assertThat(cache.get(key("d"))).isPresent();
    }

    @Test
    void invalidate_forgets_one_entry_and_a_zero_ttl_stores_nothing() {
        OfferingCache cache = new OfferingCache(Duration.ofMinutes(5), clock, 10);
        cache.put(key("a"), offering("o-a"));
        cache.put(key("b"), offering("o-b"));
        cache.invalidate(key("a"));
        assertThat(cache.get(key("a"))).isEmpty();
        assertThat(cache.get(key("b"))).isPresent();

        OfferingCache off = new OfferingCache(Duration.ZERO, clock, 10);
        off.put(key("a"), offering("o-a"));
        assertThat(off.enabled()).isFalse();
        assertThat(off.size()).isZero();
        assertThat(off.get(key("a"))).isEmpty();
    }

    @Test
    void concurrent_stores_reads_and_invalidations_keep_the_bound_and_answer_only_what_was_stored() throws Exception {
        OfferingCache cache = new OfferingCache(Duration.ofMinutes(5), clock, 16);
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 20_000; i++) {
                        String product = "p" + ((i * 31 + seed) % 40);
                        switch (i % 3) {
                            case 0 -> cache.put(key(product), offering("o-" + product));
                            case 1 -> cache.get(key(product)).ifPresent(o ->
                                    assertThat(o.offeringId()).isEqualTo("o-" + product));
                            default -> cache.invalidate(key(product));
                        }
                        assertThat(cache.size()).isLessThanOrEqualTo(16);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.size()).isLessThanOrEqualTo(16);
    }

    @Test
    void the_setting_defaults_to_five_minutes_and_refuses_a_negative_ttl_naming_it() {
        assertThat(ProviderSettings.defaults().offeringCacheTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ProviderSettings.emulator(java.net.URI.create("http://127.0.0.1:1")).offeringCacheTtl())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(ProviderSettings.defaults().withOfferingCacheTtl(Duration.ZERO).offeringCacheTtl()).isZero();
        assertThatThrownBy(() -> ProviderSettings.defaults().withOfferingCacheTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offeringCacheTtl must not be negative");
    }
}
