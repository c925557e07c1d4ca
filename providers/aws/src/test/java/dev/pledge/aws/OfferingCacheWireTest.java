package dev.pledge.aws;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.PurchaseRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.pledge.aws.MockTestSupport.queryAction;
import static dev.pledge.aws.MockTestSupport.xml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The offering cache of the RDS executor against WireMock: which requests the real SDK client
 * sends when purchases repeat the same offering attributes, differ in them, outlive the TTL, run
 * with the cache off, or meet a retired offering. The guard ({@code DescribeReservedDBInstances}
 * by our key) must go out on every purchase.
 */
class OfferingCacheWireTest {
    private static final String OFFERINGS = "DescribeReservedDBInstancesOfferings";
    private static final String GUARD = "DescribeReservedDBInstances";
    private static final String PURCHASE = "PurchaseReservedDBInstancesOffering";
    private static final String OFFERING_ID = "438012d3-4052-4cc7-b2e3-8d3372e0e706";
    private static final String REPLACEMENT_ID = "9b61f0c4-6e2d-4c8a-a5f7-1d3e5b7c9a02";
    private static final CommitmentRequest REQUEST = request("123456789012", "us-east-1", "db.r6g.large",
            Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());

    private MockCloud cloud;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    @BeforeEach
    void start() {
        cloud = new MockCloud();
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private static CommitmentRequest request(String account, String region, String dbClass, Term term,
                                             PaymentOption payment, Map<String, String> attributes) {
        return new CommitmentRequest(CommitmentType.AWS_RDS, account, region, dbClass, 2, term, payment, attributes);
    }

    /** An RDS executor of its own provider instance, with this TTL and the test's clock. */
    private CommitmentExecutor rds(Duration ttl) {
        return cloud.executor(CommitmentType.AWS_RDS, ProviderSettings.emulator(cloud.url()).withClock(clock)
                .withOfferingCacheTtl(ttl));
    }

    private static PurchaseContext newItem() {
        return PurchaseContext.withToken(ExecutionToken.generate().item(0), "exec-cache", List.of());
    }

    /** The guard finds nothing, the offering lookup answers the recorded offering, the purchase succeeds. */
    private void stubFreshCloud() {
        cloud.server.stubFor(queryAction(GUARD).willReturn(xml(404, "rds/ReservedDBInstanceNotFound.xml")));
        cloud.server.stubFor(queryAction(OFFERINGS).willReturn(xml(200, "rds/DescribeReservedDBInstancesOfferings.xml")));
        cloud.server.stubFor(queryAction(PURCHASE).willReturn(xml(200, "rds/PurchaseReservedDBInstancesOffering.xml")));
    }

    private static RequestPatternBuilder sent(String action) {
        return postRequestedFor(urlEqualTo("/")).withFormParam("Action", equalTo(action));
    }

    private int count(String action) {
        return cloud.server.findAll(sent(action)).size();
    }

    @Test
    void two_purchases_with_the_same_offering_attributes_make_one_offering_lookup_and_two_guards() {
        stubFreshCloud();
        CommitmentExecutor rds = rds(Duration.ofMinutes(5));
        PurchaseContext first = newItem();
        PurchaseContext second = newItem();

        assertThat(rds.purchase(REQUEST, first).kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(rds.purchase(REQUEST, second).kind()).isEqualTo(OutcomeKind.BOUGHT);

        cloud.server.verify(1, sent(OFFERINGS).withFormParam("DBInstanceClass", equalTo("db.r6g.large"))
                .withFormParam("Duration", equalTo("31536000")).withFormParam("OfferingType", equalTo("No Upfront"))
                .withFormParam("MultiAZ", equalTo("false")));
        assertThat(count(OFFERINGS)).as("offering lookups").isEqualTo(1);
        for (PurchaseContext item : List.of(first, second)) {
            String key = AwsExecutor.itemKey(item);
            cloud.server.verify(1, sent(GUARD).withFormParam("ReservedDBInstanceId", equalTo(key)));
            cloud.server.verify(1, sent(PURCHASE).withFormParam("ReservedDBInstancesOfferingId", equalTo(OFFERING_ID))
                    .withFormParam("ReservedDBInstanceId", equalTo(key))
                    .withFormParam("DBInstanceCount", equalTo("2"))
                    .withFormParam("Tags.Tag.1.Key", equalTo("pledge:item-token"))
                    .withFormParam("Tags.Tag.1.Value", equalTo(key))
                    .withFormParam("Tags.Tag.2.Value", equalTo("exec-cache")));
        }
        assertThat(count(GUARD)).as("guards").isEqualTo(2);
        assertThat(count(PURCHASE)).as("purchases").isEqualTo(2);
    }

    @Test
    void the_same_item_twice_asks_the_guard_again_and_finds_what_the_first_call_bought() {
        cloud.server.stubFor(queryAction(GUARD).inScenario("bought").whenScenarioStateIs(STARTED)
                .willReturn(xml(404, "rds/ReservedDBInstanceNotFound.xml")));
        cloud.server.stubFor(queryAction(OFFERINGS).willReturn(xml(200, "rds/DescribeReservedDBInstancesOfferings.xml")));
        cloud.server.stubFor(queryAction(PURCHASE).inScenario("bought").whenScenarioStateIs(STARTED)
                .willReturn(xml(200, "rds/PurchaseReservedDBInstancesOffering.xml")).willSetStateTo("held"));
        cloud.server.stubFor(queryAction(GUARD).inScenario("bought").whenScenarioStateIs("held")
                .willReturn(xml(200, "rds/DescribeReservedDBInstances.xml")));
        CommitmentExecutor rds = rds(Duration.ofMinutes(5));

        PurchaseOutcome bought = rds.purchase(REQUEST, MockCloud.CONTEXT);
        PurchaseOutcome again = rds.purchase(REQUEST, MockCloud.CONTEXT);

        assertThat(bought.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(again).isEqualTo(PurchaseOutcome.alreadyOwned(MockCloud.ITEM_KEY, MockCloud.ITEM_KEY));
        cloud.server.verify(2, sent(GUARD).withFormParam("ReservedDBInstanceId", equalTo(MockCloud.ITEM_KEY)));
        assertThat(count(OFFERINGS)).isEqualTo(1);
        assertThat(count(PURCHASE)).isEqualTo(1);
    }

    @Test
    void purchases_that_differ_in_any_offering_attribute_each_make_their_own_lookup() {
        stubFreshCloud();
        CommitmentExecutor rds = rds(Duration.ofMinutes(5));
        List<CommitmentRequest> requests = List.of(
                REQUEST,
                request("123456789012", "us-east-1", "db.m5.large", Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of()),
                request("123456789012", "us-east-1", "db.r6g.large", Term.THREE_YEARS, PaymentOption.NO_UPFRONT, Map.of()),
                request("123456789012", "us-east-1", "db.r6g.large", Term.ONE_YEAR, PaymentOption.ALL_UPFRONT, Map.of()),
                request("123456789012", "us-east-1", "db.r6g.large", Term.ONE_YEAR, PaymentOption.NO_UPFRONT,
                        Map.of("multiAz", "true")),
                request("123456789012", "us-east-1", "db.r6g.large", Term.ONE_YEAR, PaymentOption.NO_UPFRONT,
                        Map.of("productDescription", "mysql")),
                request("210987654321", "us-east-1", "db.r6g.large", Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of()),
                request("123456789012", "us-west-2", "db.r6g.large", Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of()));

        for (CommitmentRequest r : requests) {
            rds.purchase(r, newItem());
        }
        assertThat(count(OFFERINGS)).as("one lookup per distinct set of attributes").isEqualTo(requests.size());
        for (CommitmentRequest r : requests) {
            rds.purchase(r, newItem());
        }

        assertThat(count(OFFERINGS)).as("the second round is served from the cache").isEqualTo(requests.size());
        assertThat(count(GUARD)).isEqualTo(2 * requests.size());
        assertThat(count(PURCHASE)).isEqualTo(2 * requests.size());
        cloud.server.verify(1, sent(OFFERINGS).withFormParam("DBInstanceClass", equalTo("db.m5.large")));
        cloud.server.verify(1, sent(OFFERINGS).withFormParam("Duration", equalTo("94608000")));
        cloud.server.verify(1, sent(OFFERINGS).withFormParam("OfferingType", equalTo("All Upfront")));
        cloud.server.verify(1, sent(OFFERINGS).withFormParam("MultiAZ", equalTo("true")));
        cloud.server.verify(1, sent(OFFERINGS).withFormParam("ProductDescription", equalTo("mysql")));
        cloud.server.verify(1, sent(OFFERINGS).withHeader("Authorization", containing("Credential=210987654321/")));
        cloud.server.verify(1, sent(OFFERINGS).withHeader("Authorization", containing("/us-west-2/rds/aws4_request")));
    }

    @Test
    void an_entry_older_than_the_ttl_is_looked_up_again() {
        stubFreshCloud();
        CommitmentExecutor rds = rds(Duration.ofMinutes(5));

        rds.purchase(REQUEST, newItem());
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        rds.purchase(REQUEST, newItem());
        assertThat(count(OFFERINGS)).as("still within the TTL").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        rds.purchase(REQUEST, newItem());
        assertThat(count(OFFERINGS)).as("the TTL has passed").isEqualTo(2);
        rds.purchase(REQUEST, newItem());
        assertThat(count(OFFERINGS)).as("the new lookup is cached again").isEqualTo(2);
        assertThat(count(GUARD)).isEqualTo(4);
        assertThat(count(PURCHASE)).isEqualTo(4);
    }

    @Test
    void a_ttl_of_zero_looks_the_offering_up_for_every_purchase() {
        stubFreshCloud();
        CommitmentExecutor rds = rds(Duration.ZERO);

        for (int i = 0; i < 3; i++) {
            rds.purchase(REQUEST, newItem());
        }

        assertThat(count(OFFERINGS)).isEqualTo(3);
        assertThat(count(GUARD)).isEqualTo(3);
        assertThat(count(PURCHASE)).isEqualTo(3);
    }

    @Test
    void a_purchase_refused_for_a_retired_offering_forgets_it_and_the_redrive_looks_it_up_again() {
        cloud.server.stubFor(queryAction(GUARD).willReturn(xml(404, "rds/ReservedDBInstanceNotFound.xml")));
        // the catalog answers the old offering once, then its replacement
        cloud.server.stubFor(queryAction(OFFERINGS).inScenario("catalog").whenScenarioStateIs(STARTED)
                .willReturn(xml(200, "rds/DescribeReservedDBInstancesOfferings.xml")).willSetStateTo("replaced"));
        cloud.server.stubFor(queryAction(OFFERINGS).inScenario("catalog").whenScenarioStateIs("replaced")
                .willReturn(xml(200, "rds/DescribeReservedDBInstancesOfferings-replacement.xml")));
        cloud.server.stubFor(queryAction(PURCHASE).withFormParam("ReservedDBInstancesOfferingId", equalTo(OFFERING_ID))
                .willReturn(xml(404, "rds/ReservedDBInstancesOfferingNotFound.xml")));
        cloud.server.stubFor(queryAction(PURCHASE).withFormParam("ReservedDBInstancesOfferingId", equalTo(REPLACEMENT_ID))
                .willReturn(xml(200, "rds/PurchaseReservedDBInstancesOffering.xml")));
        CommitmentExecutor rds = rds(Duration.ofMinutes(5));

        assertThatThrownBy(() -> rds.purchase(REQUEST, MockCloud.CONTEXT))
                .isInstanceOfSatisfying(PurchaseRejectedException.class,
                        e -> assertThat(e.cloudCode()).isEqualTo("ReservedDBInstancesOfferingNotFound"))
                .hasMessageContaining("nothing was bought");
        PurchaseOutcome redrive = rds.purchase(REQUEST, MockCloud.CONTEXT);

        assertThat(redrive.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(count(OFFERINGS)).as("the re-drive looked the offering up again").isEqualTo(2);
        assertThat(count(GUARD)).isEqualTo(2);
        cloud.server.verify(1, sent(PURCHASE).withFormParam("ReservedDBInstancesOfferingId", equalTo(OFFERING_ID))
                .withFormParam("ReservedDBInstanceId", equalTo(MockCloud.ITEM_KEY)));
        cloud.server.verify(1, sent(PURCHASE).withFormParam("ReservedDBInstancesOfferingId", equalTo(REPLACEMENT_ID))
                .withFormParam("ReservedDBInstanceId", equalTo(MockCloud.ITEM_KEY)));
    }

    @Test
    void no_such_offering_is_not_cached_so_an_offering_that_appears_is_found_at_once() {
        cloud.server.stubFor(queryAction(GUARD).willReturn(xml(404, "rds/ReservedDBInstanceNotFound.xml")));
        cloud.server.stubFor(queryAction(OFFERINGS).inScenario("catalog").whenScenarioStateIs(STARTED)
                .willReturn(xml(200, "rds/DescribeReservedDBInstancesOfferings-empty.xml")).willSetStateTo("on sale"));
        cloud.server.stubFor(queryAction(OFFERINGS).inScenario("catalog").whenScenarioStateIs("on sale")
                .willReturn(xml(200, "rds/DescribeReservedDBInstancesOfferings.xml")));
        cloud.server.stubFor(queryAction(PURCHASE).willReturn(xml(200, "rds/PurchaseReservedDBInstancesOffering.xml")));
        CommitmentExecutor rds = rds(Duration.ofMinutes(5));

        assertThatThrownBy(() -> rds.purchase(REQUEST, MockCloud.CONTEXT))
                .isInstanceOfSatisfying(PurchaseRejectedException.class,
                        e -> assertThat(e.cloudCode()).isEqualTo("OfferingNotFound"));
        assertThat(count(PURCHASE)).isZero();

        assertThat(rds.purchase(REQUEST, MockCloud.CONTEXT).kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(count(OFFERINGS)).isEqualTo(2);
        cloud.server.verify(1, sent(PURCHASE).withFormParam("ReservedDBInstancesOfferingId", equalTo(OFFERING_ID)));
    }

    @Test
    void a_quote_and_the_purchase_after_it_share_one_lookup_and_the_quoted_offering_is_the_one_bought() {
        stubFreshCloud();
        CommitmentExecutor rds = rds(Duration.ofMinutes(5));

        PriceQuote quote = rds.quote(REQUEST).orElseThrow();
        rds.purchase(REQUEST, newItem());

        assertThat(quote.offeringId()).isEqualTo(OFFERING_ID);
        assertThat(quote.recurring()).isEqualByComparingTo(new BigDecimal("0.364"));
        assertThat(count(OFFERINGS)).isEqualTo(1);
        cloud.server.verify(1, sent(PURCHASE).withFormParam("ReservedDBInstancesOfferingId", equalTo(quote.offeringId())));
    }
}
