package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator's commitments read by account through an index, and settled only when in progress: the
 * answers must be those of a scan of every commitment (order of purchase, region filter, tags kept,
 * in-progress purchases settled for the emulator's time, a reset forgetting everything).
 */
class CloudStateTest {
    private static final String TYPE = "rds-reserved";
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final Offering offering = new Offering(Cloud.AWS, TYPE, "us-east-1", "o-1", "db.r6g.large", "1y",
            "no-upfront", "test", "USD", BigDecimal.ZERO, BigDecimal.ONE, Map.of());

    private Commitment commitment(String account, String region, String id, String key, Map<String, String> attributes) {
        return new Commitment(Cloud.AWS, TYPE, account, region, id, key, offering, 1, Map.of(), now.get(),
                attributes.isEmpty() ? "active" : "payment-pending", attributes);
    }

    @Test
    void reads_by_account_keep_purchase_order_region_tags_and_settle_in_progress_purchases_at_their_time() {
        CloudState state = new CloudState(List.of(offering), clock);
        state.add(commitment("111", "us-east-1", "a", "k-a", Map.of()));
        state.add(commitment("222", "us-east-1", "b", "k-b", Map.of()));
        state.add(commitment("111", "eu-west-1", "c", "k-c", Map.of()));
        state.add(commitment("111", "us-east-1", "d", "k-d", Map.of(Provisioning.SETTLES_AT, "2026-12-05T00:01:00Z",
                Provisioning.SETTLES_TO, "active")));
        state.add(commitment(null, "us-east-1", "e", "k-e", Map.of()));
        state.tag(Cloud.AWS, TYPE, "a", Map.of("team", "db"));

        assertThat(state.commitments(Cloud.AWS, TYPE, "111", null)).extracting(Commitment::id)
                .containsExactly("a", "c", "d");
        assertThat(state.commitments(Cloud.AWS, TYPE, "111", "us-east-1")).extracting(Commitment::id)
                .containsExactly("a", "d");
        assertThat(state.commitments(Cloud.AWS, TYPE, null, null)).extracting(Commitment::id).containsExactly("e");
        assertThat(state.commitments(Cloud.AWS, TYPE, "333", null)).isEmpty();
        assertThat(state.commitments(Cloud.AWS, "other", "111", null)).isEmpty();
        assertThat(state.byKey(Cloud.AWS, TYPE, "111", "k-a").orElseThrow().tags()).containsEntry("team", "db");
        assertThat(state.byKey(Cloud.AWS, TYPE, "222", "k-a")).isEmpty();
        assertThat(state.byKey(Cloud.AWS, TYPE, "111", "k-d").orElseThrow().state()).isEqualTo("payment-pending");

        now.set(Instant.parse("2026-12-05T00:01:00Z"));
        Commitment d = state.commitments(Cloud.AWS, TYPE, "111", "us-east-1").get(1);
        assertThat(d.state()).isEqualTo("active");
        assertThat(d.attribute("settledAt")).isEqualTo("2026-12-05T00:01:00Z");
        assertThat(state.commitments()).extracting(Commitment::id).containsExactly("a", "b", "c", "d", "e");
        assertThat(state.addUnlessKeyTaken(commitment("111", "us-east-1", "f", "k-c", Map.of()))).isPresent();
        assertThat(state.addUnlessKeyTaken(commitment("222", "us-east-1", "f", "k-c", Map.of()))).isEmpty();
        assertThat(state.commitments(Cloud.AWS, TYPE, "222", null)).extracting(Commitment::id).containsExactly("b", "f");

        state.reset(List.of(offering));
        assertThat(state.commitments(Cloud.AWS, TYPE, "111", null)).isEmpty();
        assertThat(state.commitments()).isEmpty();
    }

    @Test
    void a_purchase_still_in_progress_is_settled_by_a_read_of_everything_as_by_a_read_of_its_account() {
        CloudState state = new CloudState(List.of(offering), clock);
        state.add(commitment("111", "us-east-1", "a", "k-a", Map.of(Provisioning.SETTLES_AT, "2026-12-05T00:00:30Z",
                Provisioning.SETTLES_TO, "payment-failed")));
        assertThat(state.commitments()).extracting(Commitment::state).containsExactly("payment-pending");

        now.set(Instant.parse("2026-12-05T00:00:30Z"));
        assertThat(state.commitments()).extracting(Commitment::state).containsExactly("payment-failed");
        assertThat(state.commitments(Cloud.AWS, TYPE, "111", null)).extracting(Commitment::state)
                .containsExactly("payment-failed");
        assertThat(state.byId(Cloud.AWS, TYPE, "a").orElseThrow().attribute(Provisioning.SETTLES_AT)).isNull();
    }
}
