package dev.pledge.aws;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the CLI's dry run and one-off duplicate check use: quote, recentPurchases, derivedKeys, the registry. */
class DryRunAndDuplicateCheckTest {
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeEach
    void reset() {
        control.reset();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ALL)
    void recent_purchases_lists_one_off_buys_of_the_same_offering_since_an_instant(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        CommitmentRequest request = SampleRequests.of(type);
        Instant before = Instant.now().minusSeconds(1);
        PurchaseOutcome first = executor.purchase(request, PurchaseContext.oneOff(Clock.systemUTC()));
        PurchaseOutcome second = executor.purchase(request, PurchaseContext.oneOff(Clock.systemUTC()));

        List<ExistingCommitment> recent = executor.recentPurchases(request, before);
        List<ExistingCommitment> later = executor.recentPurchases(request, Instant.now().plus(Duration.ofMinutes(1)));

        assertThat(recent).extracting(ExistingCommitment::commitmentId)
                .containsExactlyInAnyOrder(first.commitmentId(), second.commitmentId());
        assertThat(recent).allSatisfy(c -> {
            assertThat(c.offering()).isEqualTo(request.offering());
            assertThat(c.state()).isEqualTo("active");
        });
        assertThat(later).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CommitmentType.class, names = "AWS_.*", mode = EnumSource.Mode.MATCH_ALL)
    void a_failed_duplicate_check_fails_closed(CommitmentType type) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        control.inject(FaultSpec.of(Cloud.AWS, type.slug(), null, dev.pledge.emulator.FaultKind.RESET_BEFORE_COMMIT,
                100));

        assertThatThrownBy(() -> executor.recentPurchases(SampleRequests.of(type), Instant.EPOCH))
                .isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining(type.slug());
        assertThat(control.requestCount(Cloud.AWS, type.slug(), CallKind.PURCHASE)).isZero();
    }

    @Test
    void the_quote_is_the_emulated_offering_price_and_nothing_is_bought() {
        CommitmentRequest request = SampleRequests.of(CommitmentType.AWS_RDS);
        Offering offering = control.offerings().stream()
                .filter(o -> o.type().equals("aws-rds") && o.region().equals("us-west-2")
                        && o.product().equals("db.m5.large") && o.term().equals("3y") && o.payment().equals("all-upfront"))
                .findFirst().orElseThrow();

        PriceQuote quote = SharedEmulator.executor(CommitmentType.AWS_RDS).quote(request).orElseThrow();

        assertThat(quote.offeringId()).isEqualTo(offering.offeringId());
        assertThat(quote.upfront()).isEqualByComparingTo(offering.upfront());
        assertThat(quote.recurring()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(quote.currency()).isEqualTo("USD");
        assertThat(control.requestCount(Cloud.AWS, "aws-rds", CallKind.PURCHASE)).isZero();
    }

    @Test
    void the_registry_finds_the_seven_aws_executors_through_the_service_loader() {
        try (ExecutorRegistry registry = ExecutorRegistry.load(SharedEmulator.settings())) {
            for (CommitmentType type : CommitmentType.values()) {
                if (type.cloud() == Cloud.AWS) {
                    assertThat(registry.executor(type)).isInstanceOf(AwsExecutor.class);
                    assertThat(registry.executor(type).type()).isEqualTo(type);
                }
            }
            assertThat(registry.executor(CommitmentType.AWS_EC2).dedupeStrength().name()).isEqualTo("LOOKUP_GUARD");
            assertThat(registry.executor(CommitmentType.AWS_REDSHIFT).dedupeStrength().name()).isEqualTo("LOOKUP_GUARD");
            assertThat(registry.executor(CommitmentType.AWS_RDS).dedupeStrength().name()).isEqualTo("SERVER_KEY");
        }
    }

    @Test
    void derived_keys_fit_each_api_and_never_hold_the_whole_item_token() {
        PurchaseContext ctx = MockCloud.CONTEXT;
        String itemHex = ctx.keySource().hex();
        for (CommitmentType type : List.of(CommitmentType.AWS_RDS, CommitmentType.AWS_ELASTICACHE,
                CommitmentType.AWS_MEMORYDB, CommitmentType.AWS_OPENSEARCH, CommitmentType.AWS_EC2,
                CommitmentType.AWS_REDSHIFT, CommitmentType.AWS_SAVINGS_PLAN)) {
            var keys = SharedEmulator.executor(type).derivedKeys(SampleRequests.of(type), ctx);
            assertThat(keys).isNotEmpty();
            assertThat(keys.values()).allSatisfy(k -> {
                assertThat(k).doesNotContain(itemHex);
                assertThat(k.length()).isBetween(5, 64);
            });
        }
        assertThat(SharedEmulator.executor(CommitmentType.AWS_OPENSEARCH).derivedKeys(
                SampleRequests.of(CommitmentType.AWS_OPENSEARCH), ctx)).containsEntry("ReservationName", MockCloud.ITEM_KEY);
        assertThat(SharedEmulator.executor(CommitmentType.AWS_SAVINGS_PLAN).derivedKeys(
                SampleRequests.of(CommitmentType.AWS_SAVINGS_PLAN), ctx)).containsEntry("clientToken", MockCloud.CLIENT_TOKEN);
        assertThat(SharedEmulator.executor(CommitmentType.AWS_SAVINGS_PLAN).derivedKeys(
                SampleRequests.of(CommitmentType.AWS_SAVINGS_PLAN), ctx).keySet()).first().isEqualTo("clientToken");
    }
}
