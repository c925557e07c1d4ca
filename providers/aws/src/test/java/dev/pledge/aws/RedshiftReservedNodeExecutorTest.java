package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER;
import static dev.pledge.aws.MockCloud.CONTEXT;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.queryAction;
import static dev.pledge.aws.MockTestSupport.xml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redshift reserved node executor against WireMock. */
class RedshiftReservedNodeExecutorTest {
    private static MockCloud cloud;
    private static CommitmentExecutor redshift;
    private static final CommitmentRequest REQUEST = new CommitmentRequest(CommitmentType.AWS_REDSHIFT,
            "123456789012", "us-east-1", "ra3.xlplus", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
    private static final String NODE = "1ba8e2e3-bc01-4d65-b35d-a4a3e931547e";

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
        redshift = cloud.executor(CommitmentType.AWS_REDSHIFT);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void stubs() {
        cloud.reset();
        cloud.server.stubFor(queryAction("DescribeTags").willReturn(xml(200, "redshift/DescribeTags-empty.xml")));
        cloud.server.stubFor(queryAction("DescribeReservedNodeOfferings")
                .willReturn(xml(200, "redshift/DescribeReservedNodeOfferings.xml")));
        cloud.server.stubFor(queryAction("CreateTags").willReturn(xml(200, "redshift/CreateTags.xml")));
    }

    @Test
    void looks_up_the_item_tag_picks_the_offering_buys_once_and_tags_the_node_arn() {
        cloud.server.stubFor(queryAction("PurchaseReservedNodeOffering")
                .willReturn(xml(200, "redshift/PurchaseReservedNodeOffering.xml")));

        PurchaseOutcome outcome = redshift.purchase(REQUEST, CONTEXT);

        // the recorded answer says payment-pending: bought, not final yet
        assertThat(outcome).isEqualTo(PurchaseOutcome.bought(NODE, ITEM_KEY).confirmingIf(true));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeTags"))
                .withFormParam("TagKeys.TagKey.1", equalTo("pledge:item-token"))
                .withFormParam("TagValues.TagValue.1", equalTo(ITEM_KEY)));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedNodeOffering"))
                .withFormParam("ReservedNodeOfferingId", equalTo("bc1a7e5d-40b1-4a4e-a2b8-0c6a1f7e9d32"))
                .withFormParam("NodeCount", equalTo("2")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("CreateTags"))
                .withFormParam("ResourceName", equalTo("arn:aws:redshift:us-east-1:123456789012:reservednode:" + NODE))
                .withFormParam("Tags.Tag.1.Key", equalTo("pledge:item-token"))
                .withFormParam("Tags.Tag.1.Value", equalTo(ITEM_KEY)));
    }

    @Test
    void a_connection_reset_on_the_purchase_is_an_unknown_outcome_after_exactly_one_attempt() {
        cloud.server.stubFor(queryAction("PurchaseReservedNodeOffering")
                .willReturn(aResponse().withFault(CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> redshift.purchase(REQUEST, CONTEXT)).isInstanceOfSatisfying(PurchaseException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedNodeOffering")));
    }

    /**
     * Issue 14, defect 9: the catalog sells two offerings with the node's attributes and a fresh lookup
     * lists the other one first; the node the lost attempt bought is still adopted (by node type, count,
     * duration and payment), and nothing more is bought.
     */
    @Test
    void a_redrive_adopts_by_node_attributes_when_the_fresh_lookup_lists_another_offering_first() {
        Instant attempt = Instant.parse("2026-11-23T10:12:40Z");
        cloud.server.stubFor(queryAction("DescribeReservedNodeOfferings").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(TWO_OFFERINGS)));
        cloud.server.stubFor(queryAction("DescribeReservedNodes").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(NODE_OF_SECOND_OFFERING)));
        cloud.server.stubFor(queryAction("PurchaseReservedNodeOffering")
                .willReturn(xml(200, "redshift/PurchaseReservedNodeOffering.xml")));
        PurchaseContext redrive = PurchaseContext.withAttempts(CONTEXT.keySource(), CONTEXT.executionId(),
                List.of(new Attempt(attempt, attempt.plusSeconds(4), true)));

        PurchaseOutcome outcome = redshift.purchase(REQUEST, redrive);

        assertThat(outcome).isEqualTo(PurchaseOutcome.alreadyOwned("node-of-offering-b", ITEM_KEY));
        cloud.server.verify(0, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedNodeOffering")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("CreateTags"))
                .withFormParam("ResourceName",
                        equalTo("arn:aws:redshift:us-east-1:123456789012:reservednode:node-of-offering-b"))
                .withFormParam("Tags.Tag.1.Value", equalTo(ITEM_KEY)));
    }

    private static final String TWO_OFFERINGS = """
            <DescribeReservedNodeOfferingsResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/">
              <DescribeReservedNodeOfferingsResult><ReservedNodeOfferings>
                <ReservedNodeOffering><Duration>31536000</Duration><OfferingType>No Upfront</OfferingType>
                  <RecurringCharges/><NodeType>ra3.xlplus</NodeType><FixedPrice>0.0</FixedPrice>
                  <CurrencyCode>USD</CurrencyCode><ReservedNodeOfferingId>offering-a</ReservedNodeOfferingId>
                  <ReservedNodeOfferingType>Upgradable</ReservedNodeOfferingType></ReservedNodeOffering>
                <ReservedNodeOffering><Duration>31536000</Duration><OfferingType>No Upfront</OfferingType>
                  <RecurringCharges/><NodeType>ra3.xlplus</NodeType><FixedPrice>0.0</FixedPrice>
                  <CurrencyCode>USD</CurrencyCode><ReservedNodeOfferingId>offering-b</ReservedNodeOfferingId>
                  <ReservedNodeOfferingType>Regular</ReservedNodeOfferingType></ReservedNodeOffering>
              </ReservedNodeOfferings></DescribeReservedNodeOfferingsResult>
              <ResponseMetadata><RequestId>0d3c5c3a-0000-4000-8000-000000000001</RequestId></ResponseMetadata>
            </DescribeReservedNodeOfferingsResponse>""";

    private static final String NODE_OF_SECOND_OFFERING = """
            <DescribeReservedNodesResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/">
              <DescribeReservedNodesResult><ReservedNodes>
                <ReservedNode><ReservedNodeId>node-of-offering-b</ReservedNodeId>
                  <ReservedNodeOfferingId>offering-b</ReservedNodeOfferingId><OfferingType>No Upfront</OfferingType>
                  <CurrencyCode>USD</CurrencyCode><RecurringCharges/><NodeCount>2</NodeCount><State>active</State>
                  <StartTime>2026-11-23T10:12:43.181Z</StartTime><NodeType>ra3.xlplus</NodeType>
                  <FixedPrice>0.0</FixedPrice><Duration>31536000</Duration></ReservedNode>
              </ReservedNodes></DescribeReservedNodesResult>
              <ResponseMetadata><RequestId>0d3c5c3a-0000-4000-8000-000000000002</RequestId></ResponseMetadata>
            </DescribeReservedNodesResponse>""";
}
