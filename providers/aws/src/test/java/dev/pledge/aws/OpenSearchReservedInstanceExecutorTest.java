package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.PurchaseOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.pledge.aws.MockCloud.CONTEXT;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenSearch executor against WireMock (REST-JSON). */
class OpenSearchReservedInstanceExecutorTest {
    private static MockCloud cloud;
    private static CommitmentExecutor openSearch;

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
        openSearch = cloud.executor(CommitmentType.AWS_OPENSEARCH);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void lists_reservations_to_match_the_name_then_buys_under_the_derived_reservation_name() {
        cloud.server.stubFor(get(urlPathEqualTo("/2021-01-01/opensearch/reservedInstances"))
                .willReturn(json(200, "opensearch/DescribeReservedInstances-other.json")));
        cloud.server.stubFor(get(urlPathEqualTo("/2021-01-01/opensearch/reservedInstanceOfferings"))
                .willReturn(json(200, "opensearch/DescribeReservedInstanceOfferings.json")));
        cloud.server.stubFor(post(urlEqualTo("/2021-01-01/opensearch/purchaseReservedInstanceOffering"))
                .willReturn(json(200, "opensearch/PurchaseReservedInstanceOffering.json")));
        CommitmentRequest request = new CommitmentRequest(CommitmentType.AWS_OPENSEARCH, "123456789012",
                "us-east-1", "r6g.large.search", 3, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());

        PurchaseOutcome outcome = openSearch.purchase(request, CONTEXT);

        // the purchase answer carries no state: bought, to be confirmed
        assertThat(outcome).isEqualTo(PurchaseOutcome.bought("0c9e5b7a-3d21-4f68-a1e4-7b2c9d8f6a53", ITEM_KEY)
                .confirmingIf(true));
        cloud.server.verify(1, getRequestedFor(urlPathEqualTo("/2021-01-01/opensearch/reservedInstances")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/2021-01-01/opensearch/purchaseReservedInstanceOffering"))
                .withRequestBody(matchingJsonPath("$.ReservedInstanceOfferingId",
                        equalTo("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a")))
                .withRequestBody(matchingJsonPath("$.ReservationName", equalTo(ITEM_KEY)))
                .withRequestBody(matchingJsonPath("$.InstanceCount", equalTo("3"))));
    }
}
