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

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pledge.aws.MockCloud.CONTEXT;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.json11;
import static dev.pledge.aws.MockTestSupport.jsonTarget;
import static org.assertj.core.api.Assertions.assertThat;

/** The MemoryDB executor against WireMock (JSON 1.1). */
class MemoryDbReservedNodeExecutorTest {
    private static MockCloud cloud;
    private static CommitmentExecutor memoryDb;

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
        memoryDb = cloud.executor(CommitmentType.AWS_MEMORYDB);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void buys_under_the_derived_reservation_id_with_the_x_amz_target_and_json_body() {
        cloud.server.stubFor(jsonTarget("AmazonMemoryDB.DescribeReservedNodes")
                .willReturn(json11(400, "memorydb/ReservedNodeNotFoundFault.json")));
        cloud.server.stubFor(jsonTarget("AmazonMemoryDB.DescribeReservedNodesOfferings")
                .willReturn(json11(200, "memorydb/DescribeReservedNodesOfferings.json")));
        cloud.server.stubFor(jsonTarget("AmazonMemoryDB.PurchaseReservedNodesOffering")
                .willReturn(json11(200, "memorydb/PurchaseReservedNodesOffering.json")));
        CommitmentRequest request = new CommitmentRequest(CommitmentType.AWS_MEMORYDB, "123456789012", "us-west-2",
                "db.r6g.large", 2, Term.ONE_YEAR, PaymentOption.ALL_UPFRONT, Map.of());

        PurchaseOutcome outcome = memoryDb.purchase(request, CONTEXT);

        // the recorded answer says payment-pending: bought, not final yet
        assertThat(outcome).isEqualTo(PurchaseOutcome.bought(ITEM_KEY, ITEM_KEY).confirmingIf(true));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonMemoryDB.DescribeReservedNodes"))
                .withRequestBody(matchingJsonPath("$.ReservationId", equalTo(ITEM_KEY))));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonMemoryDB.DescribeReservedNodesOfferings"))
                .withRequestBody(matchingJsonPath("$.NodeType", equalTo("db.r6g.large")))
                .withRequestBody(matchingJsonPath("$.Duration", equalTo("31536000")))
                .withRequestBody(matchingJsonPath("$.OfferingType", equalTo("All Upfront"))));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonMemoryDB.PurchaseReservedNodesOffering"))
                .withHeader("Content-Type", containing("application/x-amz-json-1.1"))
                .withRequestBody(matchingJsonPath("$.ReservedNodesOfferingId",
                        equalTo("5e1a9d0c-6a53-4a21-9b6e-2f3b7c1d8e44")))
                .withRequestBody(matchingJsonPath("$.ReservationId", equalTo(ITEM_KEY)))
                .withRequestBody(matchingJsonPath("$.NodeCount", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.Tags[0].Key", equalTo("pledge:item-token")))
                .withRequestBody(matchingJsonPath("$.Tags[0].Value", equalTo(ITEM_KEY)))
                .withRequestBody(matchingJsonPath("$.Tags[1].Value", equalTo("exec-42"))));
    }
}
