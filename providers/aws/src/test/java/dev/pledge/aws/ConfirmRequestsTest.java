package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.Confirmation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.json;
import static dev.pledge.aws.MockTestSupport.queryAction;
import static dev.pledge.aws.MockTestSupport.xml;
import static org.assertj.core.api.Assertions.assertThat;

/** What {@code confirm} sends on the wire (describe by AWS's id) and how it reads the recorded answers. */
class ConfirmRequestsTest {
    private static final String RI = "e5a2ff3b-7d14-494f-90af-0b5d0EXAMPLE";
    private static final String PLAN = "8b2f6d4e-1c3a-4e7f-b590-2d6c8a1e4f73";
    private static final String EC2_PENDING = """
            <DescribeReservedInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
              <reservedInstancesSet><item>
                <reservedInstancesId>e5a2ff3b-7d14-494f-90af-0b5d0EXAMPLE</reservedInstancesId>
                <instanceType>m5.large</instanceType><start>2026-11-23T10:12:43.000Z</start>
                <duration>31536000</duration><instanceCount>2</instanceCount><state>payment-pending</state>
                <offeringType>No Upfront</offeringType><productDescription>Linux/UNIX</productDescription>
              </item></reservedInstancesSet>
            </DescribeReservedInstancesResponse>""";
    private static final String EC2_NOT_FOUND = """
            <Response><Errors><Error><Code>InvalidReservedInstancesId.NotFound</Code>
            <Message>The reserved instances ID 'e5a2ff3b-7d14-494f-90af-0b5d0EXAMPLE' does not exist</Message>
            </Error></Errors><RequestID>59dbff89-35bd-4eac-99ed-be587EXAMPLE</RequestID></Response>""";
    private static MockCloud cloud;

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    @Test
    void ec2_describes_the_reserved_instances_id_and_reads_payment_pending_as_pending() {
        CommitmentExecutor ec2 = cloud.executor(CommitmentType.AWS_EC2);
        cloud.server.stubFor(queryAction("DescribeReservedInstances").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(EC2_PENDING)));

        Confirmation confirmation = ec2.confirm(request(CommitmentType.AWS_EC2, "m5.large", Map.of()), RI);

        assertThat(confirmation).isEqualTo(Confirmation.pending("payment-pending"));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedInstances"))
                .withFormParam("ReservedInstancesId.1", equalTo(RI)));
    }

    @Test
    void ec2_reads_invalid_id_not_found_as_not_found_yet() {
        CommitmentExecutor ec2 = cloud.executor(CommitmentType.AWS_EC2);
        cloud.server.stubFor(queryAction("DescribeReservedInstances").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "text/xml").withBody(EC2_NOT_FOUND)));

        Confirmation confirmation = ec2.confirm(request(CommitmentType.AWS_EC2, "m5.large", Map.of()), RI);

        assertThat(confirmation.state()).isEqualTo(Confirmation.State.PENDING);
        assertThat(confirmation.detail()).contains("not found yet");
    }

    @Test
    void rds_describes_the_reserved_db_instance_id_and_reads_active_as_active() {
        CommitmentExecutor rds = cloud.executor(CommitmentType.AWS_RDS);
        cloud.server.stubFor(queryAction("DescribeReservedDBInstances")
                .willReturn(xml(200, "rds/DescribeReservedDBInstances.xml")));

        Confirmation confirmation = rds.confirm(request(CommitmentType.AWS_RDS, "db.r6g.large", Map.of()), ITEM_KEY);

        assertThat(confirmation).isEqualTo(Confirmation.active("active"));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedDBInstances"))
                .withFormParam("ReservedDBInstanceId", equalTo(ITEM_KEY)));
    }

    @Test
    void savings_plans_describe_the_plan_id_and_read_payment_pending_as_pending() {
        CommitmentExecutor plans = cloud.executor(CommitmentType.AWS_SAVINGS_PLAN);
        cloud.server.stubFor(post(urlEqualTo("/DescribeSavingsPlans"))
                .willReturn(json(200, "savingsplans/DescribeSavingsPlans-byId.json")));

        Confirmation confirmation = plans.confirm(request(CommitmentType.AWS_SAVINGS_PLAN, "Compute",
                Map.of("hourlyCommitment", "2.5")), PLAN);

        assertThat(confirmation).isEqualTo(Confirmation.pending("payment-pending"));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/DescribeSavingsPlans"))
                .withRequestBody(matchingJsonPath("$.savingsPlanIds[0]", equalTo(PLAN))));
    }

    private static CommitmentRequest request(CommitmentType type, String product, Map<String, String> attributes) {
        return new CommitmentRequest(type, "123456789012", "us-east-1", product, type == CommitmentType.AWS_SAVINGS_PLAN
                ? 1 : 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, attributes);
    }
}
