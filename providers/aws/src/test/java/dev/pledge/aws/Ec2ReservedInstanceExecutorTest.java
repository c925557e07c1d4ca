package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pledge.aws.MockCloud.CONTEXT;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.queryAction;
import static dev.pledge.aws.MockTestSupport.xml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The EC2 Reserved Instance executor against WireMock (EC2's query dialect). */
class Ec2ReservedInstanceExecutorTest {
    private static MockCloud cloud;
    private static CommitmentExecutor ec2;
    private static final CommitmentRequest REQUEST = new CommitmentRequest(CommitmentType.AWS_EC2, "123456789012",
            "us-east-1", "m5.large", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
    private static final String RI = "e5a2ff3b-7d14-494f-90af-0b5d0EXAMPLE";

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
        ec2 = cloud.executor(CommitmentType.AWS_EC2);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void stubs() {
        cloud.reset();
        cloud.server.stubFor(queryAction("DescribeReservedInstances")
                .willReturn(xml(200, "ec2/DescribeReservedInstances-empty.xml")));
        cloud.server.stubFor(queryAction("DescribeReservedInstancesOfferings")
                .willReturn(xml(200, "ec2/DescribeReservedInstancesOfferings.xml")));
        cloud.server.stubFor(queryAction("CreateTags").willReturn(xml(200, "ec2/CreateTags.xml")));
    }

    @Test
    void looks_up_the_item_tag_buys_once_without_a_client_token_then_tags_the_reservation() {
        cloud.server.stubFor(queryAction("PurchaseReservedInstancesOffering")
                .willReturn(xml(200, "ec2/PurchaseReservedInstancesOffering.xml")));

        PurchaseOutcome outcome = ec2.purchase(REQUEST, CONTEXT);

        // the purchase answer carries no state: bought, to be confirmed
        assertThat(outcome).isEqualTo(PurchaseOutcome.bought(RI, ITEM_KEY).confirmingIf(true));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedInstances"))
                .withFormParam("Filter.1.Name", equalTo("tag:pledge:item-token"))
                .withFormParam("Filter.1.Value.1", equalTo(ITEM_KEY))
                .withFormParam("Filter.2.Name", equalTo("state")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedInstancesOfferings"))
                .withFormParam("InstanceType", equalTo("m5.large"))
                .withFormParam("ProductDescription", equalTo("Linux/UNIX"))
                .withFormParam("OfferingType", equalTo("No Upfront"))
                .withFormParam("OfferingClass", equalTo("standard"))
                .withFormParam("MinDuration", equalTo("31536000"))
                .withFormParam("MaxDuration", equalTo("31536000"))
                .withFormParam("IncludeMarketplace", equalTo("false")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("/us-east-1/ec2/aws4_request"))
                .withFormParam("Action", equalTo("PurchaseReservedInstancesOffering"))
                .withFormParam("ReservedInstancesOfferingId", equalTo("248e7b75-c83a-48c1-bcf7-b7f03e9c43fe"))
                .withFormParam("InstanceCount", equalTo("2"))
                .withFormParam("ClientToken", absent())
                .withRequestBody(notContaining("Tag")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("CreateTags"))
                .withFormParam("ResourceId.1", equalTo(RI))
                .withFormParam("Tag.1.Key", equalTo("pledge:item-token"))
                .withFormParam("Tag.1.Value", equalTo(ITEM_KEY))
                .withFormParam("Tag.2.Key", equalTo("pledge:execution"))
                .withFormParam("Tag.2.Value", equalTo("exec-42")));
    }

    @Test
    void a_server_error_on_the_purchase_is_an_unknown_outcome_after_exactly_one_attempt() {
        cloud.server.stubFor(queryAction("PurchaseReservedInstancesOffering")
                .willReturn(xml(500, "ec2/InternalError.xml")));

        assertThatThrownBy(() -> ec2.purchase(REQUEST, CONTEXT)).isInstanceOfSatisfying(PurchaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
            assertThat(e.cloudCode()).isEqualTo("InternalError");
        });
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedInstancesOffering")));
        cloud.server.verify(0, postRequestedFor(urlEqualTo("/")).withFormParam("Action", equalTo("CreateTags")));
    }

    @Test
    void a_throttled_purchase_bought_nothing_and_is_transient_after_exactly_one_attempt() {
        cloud.server.stubFor(queryAction("PurchaseReservedInstancesOffering")
                .willReturn(xml(503, "ec2/RequestLimitExceeded.xml")));

        assertThatThrownBy(() -> ec2.purchase(REQUEST, CONTEXT)).isInstanceOfSatisfying(PurchaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
            assertThat(e.cloudCode()).isEqualTo("RequestLimitExceeded");
        });
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedInstancesOffering")));
    }

    @Test
    void a_tag_that_keeps_failing_is_retried_a_bounded_number_of_times_and_the_purchase_still_counts() {
        cloud.server.stubFor(queryAction("PurchaseReservedInstancesOffering")
                .willReturn(xml(200, "ec2/PurchaseReservedInstancesOffering.xml")));
        cloud.server.stubFor(queryAction("CreateTags").willReturn(xml(500, "ec2/InternalError.xml")));

        PurchaseOutcome outcome = ec2.purchase(REQUEST, CONTEXT);

        // the purchase answer carries no state: bought, to be confirmed
        assertThat(outcome).isEqualTo(PurchaseOutcome.bought(RI, ITEM_KEY).confirmingIf(true));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedInstancesOffering")));
        cloud.server.verify(LookupGuardExecutor.TAG_ATTEMPTS * 3, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("CreateTags")));
    }
}
