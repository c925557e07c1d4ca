package dev.pledge.soak;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.idempotency.ItemToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;
import dev.pledge.soak.ExplorerInvariants.Finding;
import dev.pledge.soak.ExplorerInvariants.ItemState;
import dev.pledge.soak.ExplorerInvariants.Stage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each invariant of the explorer, shown to fire on a planted state and to stay quiet on a sound one. */
class ExplorerInvariantsTest {
    private static final ExecutionToken TOKEN = ExecutionToken.generate();
    private static final Offering M5 = new Offering(Cloud.AWS, "aws-ec2", "us-east-1", "offer-m5", "m5.large", "1y",
            "no-upfront", "Linux/UNIX", "USD", BigDecimal.ZERO, BigDecimal.ONE, Map.of());
    private static final Offering RDS = new Offering(Cloud.AWS, "aws-rds", "us-east-1", "offer-rds", "db.m5.large",
            "1y", "no-upfront", "postgresql", "USD", BigDecimal.ZERO, BigDecimal.ONE, Map.of());

    private static ItemState item(int position, String type, String status, String commitmentId, String failureKind,
                                  String error, boolean earlierUnknown) {
        ItemToken t = TOKEN.item(position);
        String offering = type.equals("aws-rds") ? "db.m5.large" : "m5.large";
        return new ItemState(position, type, offering, 2, status, "BOUGHT".equals(status) ? "BOUGHT" : null,
                commitmentId, failureKind, error, t.hex(), t.uuid().toString(), earlierUnknown);
    }

    private static String key(int position) {
        return "pledge-" + TOKEN.item(position).hex().substring(0, 48);
    }

    private static Commitment ec2(String id, Integer taggedFor) {
        return new Commitment(Cloud.AWS, "aws-ec2", "111122223333", "us-east-1", id, null, M5, 2,
                taggedFor == null ? Map.of() : Map.of(ExplorerInvariants.ITEM_TAG, key(taggedFor)), Instant.now(),
                "active", Map.of());
    }

    private static Commitment rds(int position) {
        return new Commitment(Cloud.AWS, "aws-rds", "111122223333", "us-east-1", key(position), key(position), RDS, 2,
                Map.of(), Instant.now(), "active", Map.of());
    }

    private static List<String> categories(List<Finding> findings) {
        return findings.stream().map(Finding::category).toList();
    }

    @Test
    void each_item_holding_its_own_commitment_is_sound() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "BOUGHT", "i-1", null, null, false),
                item(1, "aws-ec2", "BOUGHT", "i-2", null, null, true));
        List<Finding> f = ExplorerInvariants.check(items, List.of(ec2("i-1", 0), ec2("i-2", null)), Set.of(),
                "SUCCEEDED", Stage.SETTLED);
        assertThat(f).isEmpty();
    }

    @Test
    void two_siblings_recording_one_reservation_is_found_after_a_round() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "BOUGHT", "i-1", null, null, true),
                item(1, "aws-ec2", "BOUGHT", "i-1", null, null, false));
        List<Finding> f = ExplorerInvariants.check(items, List.of(ec2("i-1", 0)), Set.of(), "SUCCEEDED", Stage.ROUND);
        assertThat(categories(f)).containsExactly("two-items-one-commitment");
    }

    @Test
    void a_transient_failure_while_the_cloud_holds_the_items_key_is_nothing_bought_while_held() {
        List<ItemState> items = List.of(item(0, "aws-rds", "FAILED", null, "TRANSIENT",
                "throttled; nothing was bought: re-drive to retry", false));
        List<Finding> f = ExplorerInvariants.check(items, List.of(rds(0)), Set.of(), "FAILED", Stage.ROUND);
        assertThat(categories(f)).containsExactly("nothing-bought-while-held");
    }

    @Test
    void a_refusal_after_an_unknown_attempt_while_a_matching_untagged_reservation_is_untracked_is_found() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "FAILED", null, "REJECTED",
                "the cloud refused the purchase; nothing was bought: fix the request", true));
        List<Finding> round = ExplorerInvariants.check(items, List.of(ec2("i-9", null)), Set.of(), "FAILED",
                Stage.ROUND);
        assertThat(categories(round)).containsExactly("nothing-bought-while-held");
        List<Finding> settled = ExplorerInvariants.check(items, List.of(ec2("i-9", null)), Set.of(), "FAILED",
                Stage.SETTLED);
        assertThat(categories(settled)).containsExactly("nothing-bought-while-held", "lost-track");
    }

    @Test
    void a_refusal_with_no_earlier_unknown_attempt_and_nothing_under_its_key_is_sound() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "FAILED", null, "REJECTED",
                "the cloud refused the purchase; nothing was bought: fix the request", false));
        assertThat(ExplorerInvariants.check(items, List.of(), Set.of(), "FAILED", Stage.SETTLED)).isEmpty();
    }

    @Test
    void adopting_a_reservation_bought_outside_pledge_is_found() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "BOUGHT", "outside-1", null, null, true));
        List<Finding> f = ExplorerInvariants.check(items, List.of(ec2("outside-1", 0)), Set.of("outside-1"),
                "SUCCEEDED", Stage.ROUND);
        assertThat(categories(f)).containsExactly("adopted-outside");
    }

    @Test
    void two_commitments_under_one_items_key_or_tag_are_a_double_buy() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "BOUGHT", "i-1", null, null, true));
        List<Finding> f = ExplorerInvariants.check(items, List.of(ec2("i-1", 0), ec2("i-2", 0)), Set.of(),
                "SUCCEEDED", Stage.SETTLED);
        assertThat(categories(f)).contains("double-buy", "lost-track");
    }

    @Test
    void a_bought_item_whose_commitment_the_cloud_does_not_hold_is_found() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "BOUGHT", "i-1", null, null, false));
        assertThat(categories(ExplorerInvariants.check(items, List.of(), Set.of(), "SUCCEEDED", Stage.SETTLED)))
                .containsExactly("recorded-not-held");
    }

    @Test
    void a_canceled_execution_whose_item_the_cloud_holds_has_lost_track_of_it() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "PENDING", null, null, null, true));
        List<Finding> f = ExplorerInvariants.check(items, List.of(ec2("i-3", null)), Set.of(), "CANCELED",
                Stage.SETTLED);
        assertThat(categories(f)).containsExactly("lost-track");
    }

    @Test
    void an_execution_still_running_after_settling_is_stuck() {
        List<ItemState> items = List.of(item(0, "aws-ec2", "PURCHASING", null, null, null, false));
        assertThat(categories(ExplorerInvariants.check(items, List.of(), Set.of(), "RUNNING", Stage.SETTLED)))
                .containsExactly("stuck");
    }
}
