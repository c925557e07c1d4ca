package dev.pledge.aws;

import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.queryAction;
import static dev.pledge.aws.MockTestSupport.xml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, defect 4: the purchase of a keyed type (and Savings Plans) is tried up to
 * {@code maxAttempts} times. If any try may have committed, the outcome is unknown whatever the last
 * try said; "nothing was bought" only when every try provably did not commit.
 */
class CommittedThenThrottledTest {
    private static final String THROTTLED = "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
            + "<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
            + "<RequestId>5f6e4c4d-0000-4000-8000-000000000001</RequestId></ErrorResponse>";
    private static MockCloud wire;
    private final EmulatorClient control = SharedEmulator.emulator().client();

    @BeforeAll
    static void startWireMock() {
        wire = new MockCloud();
    }

    @AfterAll
    static void stopWireMock() {
        wire.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
        wire.reset();
    }

    static Stream<Arguments> keyedPurchases() {
        return Stream.of(
                Arguments.of(CommitmentType.AWS_RDS, "db.r6g.large", "PurchaseReservedDBInstancesOffering"),
                Arguments.of(CommitmentType.AWS_ELASTICACHE, "cache.m5.large", "PurchaseReservedCacheNodesOffering"),
                Arguments.of(CommitmentType.AWS_MEMORYDB, "db.r6g.xlarge", "PurchaseReservedNodesOffering"),
                Arguments.of(CommitmentType.AWS_OPENSEARCH, "m6g.large.search", "PurchaseReservedInstanceOffering"),
                Arguments.of(CommitmentType.AWS_SAVINGS_PLAN, "Compute", "CreateSavingsPlan"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyedPurchases")
    void a_first_try_that_committed_then_throttled_retries_is_an_unknown_outcome(CommitmentType type, String product,
                                                                                 String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        control.inject(FaultSpec.of(Cloud.AWS, type.slug(), purchaseOperation, FaultKind.RESET_AFTER_COMMIT, 1));
        control.inject(FaultSpec.of(Cloud.AWS, type.slug(), purchaseOperation, FaultKind.THROTTLE, 10));
        AtomicInteger gateChecks = new AtomicInteger();
        PurchaseContext context = context().withGate(gateChecks::incrementAndGet);

        assertThatThrownBy(() -> executor.purchase(request(type, product), context))
                .isInstanceOfSatisfying(PurchaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
                    assertThat(e.getMessage()).doesNotContain("nothing was bought");
                });

        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).as("tries: ProviderSettings.emulator allows 3")
                .isEqualTo(3);
        assertThat(gateChecks.get()).as("the gate runs before every try").isEqualTo(3);
        assertThat(control.commitments(Cloud.AWS, type.slug())).as("the first try bought").hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyedPurchases")
    void every_try_throttled_is_transient_and_nothing_was_bought(CommitmentType type, String product,
                                                                 String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        control.inject(FaultSpec.of(Cloud.AWS, type.slug(), purchaseOperation, FaultKind.THROTTLE, 10));

        assertThatThrownBy(() -> executor.purchase(request(type, product), context()))
                .isInstanceOfSatisfying(PurchaseException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));

        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).isEqualTo(3);
        assertThat(control.commitments(Cloud.AWS, type.slug())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyedPurchases")
    void a_lost_first_try_then_a_throttle_then_a_retry_that_meets_our_key_is_recovered(CommitmentType type,
                                                                                       String product,
                                                                                       String purchaseOperation) {
        CommitmentExecutor executor = SharedEmulator.executor(type);
        control.inject(FaultSpec.of(Cloud.AWS, type.slug(), purchaseOperation, FaultKind.RESET_AFTER_COMMIT, 1));
        control.inject(FaultSpec.of(Cloud.AWS, type.slug(), purchaseOperation, FaultKind.THROTTLE, 1));

        PurchaseOutcome outcome = executor.purchase(request(type, product), context());

        assertThat(outcome.kind()).isIn(OutcomeKind.RECOVERED, OutcomeKind.BOUGHT);
        assertThat(control.requestCount(Cloud.AWS, purchaseOperation)).isEqualTo(3);
        assertThat(control.commitments(Cloud.AWS, type.slug())).singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(outcome.commitmentId()));
    }

    /** The same sequence on the wire: the first POST commits and its connection is reset, the next two are throttled. */
    @Test
    void rds_over_wiremock_reset_then_throttled_twice_is_unknown_after_three_posts() {
        CommitmentExecutor rds = wire.executor(CommitmentType.AWS_RDS);
        wire.server.stubFor(queryAction("DescribeReservedDBInstances")
                .willReturn(xml(404, "rds/ReservedDBInstanceNotFound.xml")));
        wire.server.stubFor(queryAction("DescribeReservedDBInstancesOfferings")
                .willReturn(xml(200, "rds/DescribeReservedDBInstancesOfferings.xml")));
        wire.server.stubFor(queryAction("PurchaseReservedDBInstancesOffering").inScenario("commit-then-throttle")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withFault(CONNECTION_RESET_BY_PEER))
                .willSetStateTo("committed"));
        wire.server.stubFor(queryAction("PurchaseReservedDBInstancesOffering").inScenario("commit-then-throttle")
                .whenScenarioStateIs("committed").willReturn(aResponse().withStatus(400)
                        .withHeader("Content-Type", "text/xml").withBody(THROTTLED)));

        assertThatThrownBy(() -> rds.purchase(new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012",
                "us-east-1", "db.r6g.large", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of()), MockCloud.CONTEXT))
                .isInstanceOfSatisfying(PurchaseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
                    assertThat(e.getMessage()).contains("may have").doesNotContain("nothing was bought");
                });
        wire.server.verify(3, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedDBInstancesOffering"))
                .withFormParam("ReservedDBInstanceId", equalTo(ITEM_KEY)));
    }

    private static PurchaseContext context() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-throttle", List.of());
    }

    private static CommitmentRequest request(CommitmentType type, String product) {
        Map<String, String> attributes = type == CommitmentType.AWS_SAVINGS_PLAN
                ? Map.of("hourlyCommitment", "1.25") : Map.of();
        return new CommitmentRequest(type, "123456789012", "us-east-1", product, 1, Term.ONE_YEAR,
                PaymentOption.NO_UPFRONT, attributes);
    }
}
