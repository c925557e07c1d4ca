package dev.pledge.app.insight;

import dev.pledge.common.insight.InsightException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The refresh's shared limit on cloud calls: parts at once, never more than the limit, failures whole. */
class CallLimitTest {

    @Test
    void five_parts_under_a_limit_of_two_run_two_at_a_time_and_come_back_in_order() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (CallLimit limit = new CallLimit(2)) {
            CompletableFuture<List<Integer>> result = CompletableFuture.supplyAsync(() -> limit.each(
                    List.of(1, 2, 3, 4, 5), p -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        entered.incrementAndGet();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        inside.decrementAndGet();
                        return List.of(p * 10);
                    }));
            await().atMost(Duration.ofSeconds(30)).until(() -> entered.get() == 2);
            assertThat(inside.get()).isEqualTo(2); // two at once, the other three wait for a permit
            release.countDown();
            assertThat(result.get(30, TimeUnit.SECONDS)).containsExactly(10, 20, 30, 40, 50);
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void a_source_calling_while_its_parts_hold_every_permit_waits_for_one_and_a_part_calling_again_does_not() {
        try (CallLimit limit = new CallLimit(1)) {
            // a part that makes two calls in turn runs both within its own permit (no second permit, no deadlock)
            List<String> out = limit.each(List.of("a", "b"), p -> List.of(limit.call(() -> p + "1")
                    + limit.call(() -> p + "2")));
            assertThat(out).containsExactly("a1a2", "b1b2");
            assertThat(limit.call(() -> "after")).isEqualTo("after");
        }
    }

    @Test
    void a_failing_part_fails_the_whole_with_its_own_exception_and_frees_its_permit() {
        InsightException throttled = new InsightException("throttled in us-west-2", "Throttling", true, true, null);
        try (CallLimit limit = new CallLimit(2)) {
            assertThatThrownBy(() -> limit.each(List.of("us-east-1", "us-west-2", "eu-west-1"), r -> {
                if (r.equals("us-west-2")) {
                    throw throttled;
                }
                return List.of(r);
            })).isSameAs(throttled);
            assertThat(limit.each(List.of("x", "y"), p -> List.of(p))).containsExactly("x", "y");
        }
    }
}
