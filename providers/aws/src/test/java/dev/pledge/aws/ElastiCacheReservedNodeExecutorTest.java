package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.PurchaseOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pledge.aws.MockCloud.CONTEXT;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.queryAction;
import static dev.pledge.aws.MockTestSupport.xml;
import static org.assertj.core.api.Assertions.assertThat;

/** The ElastiCache executor against WireMock. */
class ElastiCacheReservedNodeExecutorTest {
    private static MockCloud cloud;
    private static CommitmentExecutor elastiCache;
    private static final CommitmentRequest REQUEST = new CommitmentRequest(CommitmentType.AWS_ELASTICACHE,
            "123456789012", "eu-west-1", "cache.r6g.large", 3, Term.THREE_YEARS, PaymentOption.PARTIAL_UPFRONT,
            Map.of());

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
        elastiCache = cloud.executor(CommitmentType.AWS_ELASTICACHE);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void stubs() {
        cloud.reset();
        cloud.server.stubFor(queryAction("DescribeReservedCacheNodes")
                .willReturn(xml(404, "elasticache/ReservedCacheNodeNotFound.xml")));
        cloud.server.stubFor(queryAction("DescribeReservedCacheNodesOfferings")
                .willReturn(xml(200, "elasticache/DescribeReservedCacheNodesOfferings.xml")));
        cloud.server.stubFor(queryAction("PurchaseReservedCacheNodesOffering")
                .willReturn(xml(200, "elasticache/PurchaseReservedCacheNodesOffering.xml")));
    }

    @Test
    void buys_under_the_derived_reserved_cache_node_id_with_the_tags() {
        PurchaseOutcome outcome = elastiCache.purchase(REQUEST, CONTEXT);

        // the recorded answer says payment-pending: bought, not final yet
        assertThat(outcome).isEqualTo(PurchaseOutcome.bought(ITEM_KEY, ITEM_KEY).confirmingIf(true));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedCacheNodes"))
                .withFormParam("ReservedCacheNodeId", equalTo(ITEM_KEY)));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedCacheNodesOfferings"))
                .withFormParam("CacheNodeType", equalTo("cache.r6g.large"))
                .withFormParam("Duration", equalTo("94608000"))
                .withFormParam("OfferingType", equalTo("Partial Upfront")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("/eu-west-1/elasticache/aws4_request"))
                .withFormParam("Action", equalTo("PurchaseReservedCacheNodesOffering"))
                .withFormParam("ReservedCacheNodesOfferingId", equalTo("0a3e8d25-1c6b-4b7e-8f2a-1d93b8e0f6c2"))
                .withFormParam("ReservedCacheNodeId", equalTo(ITEM_KEY))
                .withFormParam("CacheNodeCount", equalTo("3"))
                .withFormParam("Tags.Tag.1.Key", equalTo("pledge:item-token"))
                .withFormParam("Tags.Tag.1.Value", equalTo(ITEM_KEY)));
    }

    @Test
    void the_quote_is_the_recorded_offering_price_times_the_quantity_and_buys_nothing() {
        PriceQuote quote = elastiCache.quote(REQUEST).orElseThrow();

        assertThat(quote.offeringId()).isEqualTo("0a3e8d25-1c6b-4b7e-8f2a-1d93b8e0f6c2");
        assertThat(quote.upfront()).isEqualByComparingTo(new BigDecimal("4059.0"));
        assertThat(quote.recurring()).isEqualByComparingTo(new BigDecimal("0.153"));
        assertThat(quote.recurringUnit()).isEqualTo("hour");
        cloud.server.verify(0, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedCacheNodesOffering")));
    }
}
