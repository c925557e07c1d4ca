package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.AccountCredentials;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.pledge.aws.MockCloud.CONTEXT;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockCloud.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RDS executor against WireMock: the query-protocol requests it sends and the recorded answers it parses. */
class RdsReservedInstanceExecutorTest {
    private static MockCloud cloud;
    private static CommitmentExecutor rds;
    private static final CommitmentRequest REQUEST = new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012",
            "us-east-1", "db.r6g.large", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
        rds = cloud.executor(CommitmentType.AWS_RDS);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    private static void stub(String action, int status, String fixture) {
        cloud.server.stubFor(post(urlEqualTo("/")).withFormParam("Action", equalTo(action))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                        .withBody(fixture(fixture))));
    }

    @Test
    void buys_under_the_derived_reserved_db_instance_id_after_the_guard_finds_nothing() {
        stub("DescribeReservedDBInstances", 404, "rds/ReservedDBInstanceNotFound.xml");
        stub("DescribeReservedDBInstancesOfferings", 200, "rds/DescribeReservedDBInstancesOfferings.xml");
        stub("PurchaseReservedDBInstancesOffering", 200, "rds/PurchaseReservedDBInstancesOffering.xml");

        PurchaseOutcome outcome = rds.purchase(REQUEST, CONTEXT);

        // the recorded answer says payment-pending: bought, not final yet
        assertThat(outcome).isEqualTo(PurchaseOutcome.bought(ITEM_KEY, ITEM_KEY).confirmingIf(true));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedDBInstances"))
                .withFormParam("ReservedDBInstanceId", equalTo(ITEM_KEY)));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedDBInstancesOfferings"))
                .withFormParam("DBInstanceClass", equalTo("db.r6g.large"))
                .withFormParam("Duration", equalTo("31536000"))
                .withFormParam("OfferingType", equalTo("No Upfront"))
                .withFormParam("MultiAZ", equalTo("false")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("Credential=123456789012/"))
                .withHeader("Authorization", containing("/us-east-1/rds/aws4_request"))
                .withFormParam("Action", equalTo("PurchaseReservedDBInstancesOffering"))
                .withFormParam("ReservedDBInstancesOfferingId", equalTo("438012d3-4052-4cc7-b2e3-8d3372e0e706"))
                .withFormParam("ReservedDBInstanceId", equalTo(ITEM_KEY))
                .withFormParam("DBInstanceCount", equalTo("2"))
                .withFormParam("Tags.Tag.1.Key", equalTo("pledge:item-token"))
                .withFormParam("Tags.Tag.1.Value", equalTo(ITEM_KEY))
                .withFormParam("Tags.Tag.2.Key", equalTo("pledge:execution"))
                .withFormParam("Tags.Tag.2.Value", equalTo("exec-42")));
    }

    @Test
    void already_exists_arriving_as_http_404_is_matched_by_its_code_described_and_recovered() {
        cloud.server.stubFor(post(urlEqualTo("/")).inScenario("lost").whenScenarioStateIs(STARTED)
                .withFormParam("Action", equalTo("DescribeReservedDBInstances"))
                .willReturn(aResponse().withStatus(404).withBody(fixture("rds/ReservedDBInstanceNotFound.xml"))));
        stub("DescribeReservedDBInstancesOfferings", 200, "rds/DescribeReservedDBInstancesOfferings.xml");
        cloud.server.stubFor(post(urlEqualTo("/")).inScenario("lost").whenScenarioStateIs(STARTED)
                .withFormParam("Action", equalTo("PurchaseReservedDBInstancesOffering"))
                .willReturn(aResponse().withStatus(404).withBody(fixture("rds/ReservedDBInstanceAlreadyExists.xml")))
                .willSetStateTo("exists"));
        cloud.server.stubFor(post(urlEqualTo("/")).inScenario("lost").whenScenarioStateIs("exists")
                .withFormParam("Action", equalTo("DescribeReservedDBInstances"))
                .willReturn(aResponse().withStatus(200).withBody(fixture("rds/DescribeReservedDBInstances.xml"))));

        PurchaseOutcome outcome = rds.purchase(REQUEST, CONTEXT);

        assertThat(outcome).isEqualTo(new PurchaseOutcome(OutcomeKind.RECOVERED, ITEM_KEY, ITEM_KEY));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedDBInstancesOffering")));
        cloud.server.verify(2, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedDBInstances"))
                .withFormParam("ReservedDBInstanceId", equalTo(ITEM_KEY)));
    }

    @Test
    void an_assumed_role_sends_the_role_arn_and_external_id_to_sts_and_signs_with_the_session_keys() {
        stub("AssumeRole", 200, "sts/AssumeRole.xml");
        stub("DescribeReservedDBInstances", 200, "rds/DescribeReservedDBInstances.xml");
        CommitmentExecutor asRole = cloud.executor(CommitmentType.AWS_RDS, (c, account) -> new AccountCredentials(
                Map.of("roleArn", "arn:aws:iam::123456789012:role/pledge-purchaser", "externalId", "ext-7f3a")));

        PurchaseOutcome outcome = asRole.purchase(REQUEST, CONTEXT);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("AssumeRole"))
                .withFormParam("RoleArn", equalTo("arn:aws:iam::123456789012:role/pledge-purchaser"))
                .withFormParam("ExternalId", equalTo("ext-7f3a"))
                .withFormParam("RoleSessionName", equalTo("pledge-123456789012")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("DescribeReservedDBInstances"))
                .withHeader("Authorization", containing("Credential=ASIAIOSFODNN7EXAMPLE/"))
                .withHeader("X-Amz-Security-Token", containing("AQoDYXdzEPT")));
        cloud.server.verify(0, postRequestedFor(urlEqualTo("/"))
                .withFormParam("Action", equalTo("PurchaseReservedDBInstancesOffering")));
        cloud.server.verify(0, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Security-Token", absent())
                .withFormParam("Action", equalTo("DescribeReservedDBInstances")));
    }

    @Test
    void bad_input_is_refused_naming_the_field_and_nothing_is_sent() {
        CommitmentRequest unknownAttribute = new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012",
                "us-east-1", "db.r6g.large", 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("engine", "x"));
        CommitmentRequest badMultiAz = new CommitmentRequest(CommitmentType.AWS_RDS, "123456789012",
                "us-east-1", "db.r6g.large", 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("multiAz", "maybe"));
        CommitmentRequest notAnAwsAccount = new CommitmentRequest(CommitmentType.AWS_RDS, "my-project",
                "us-east-1", "db.r6g.large", 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
        CommitmentExecutor badRole = cloud.executor(CommitmentType.AWS_RDS, (c, account) -> new AccountCredentials(
                Map.of("roleArn", "pledge-purchaser")));

        assertThatThrownBy(() -> rds.purchase(unknownAttribute, CONTEXT))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("attributes.engine"))
                .hasMessageContaining("allowed: multiAz, productDescription");
        assertThatThrownBy(() -> rds.purchase(badMultiAz, CONTEXT))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("attributes.multiAz"));
        assertThatThrownBy(() -> rds.purchase(notAnAwsAccount, CONTEXT))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("account"))
                .hasMessageContaining("12-digit");
        assertThatThrownBy(() -> badRole.purchase(REQUEST, CONTEXT))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("credentials.roleArn"));
        assertThat(cloud.server.getAllServeEvents()).as("requests sent").isEmpty();
    }
}
