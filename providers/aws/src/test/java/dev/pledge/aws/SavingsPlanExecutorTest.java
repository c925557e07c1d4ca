package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pledge.aws.MockCloud.CLIENT_TOKEN;
import static dev.pledge.aws.MockCloud.CONTEXT;
import static dev.pledge.aws.MockCloud.ITEM_KEY;
import static dev.pledge.aws.MockTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Savings Plans executor against WireMock (REST-JSON). */
class SavingsPlanExecutorTest {
    private static MockCloud cloud;
    private static CommitmentExecutor savingsPlans;
    private static final CommitmentRequest REQUEST = new CommitmentRequest(CommitmentType.AWS_SAVINGS_PLAN,
            "123456789012", "us-east-1", "Compute", 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT,
            Map.of("hourlyCommitment", "2.5"));

    @BeforeAll
    static void start() {
        cloud = new MockCloud();
        savingsPlans = cloud.executor(CommitmentType.AWS_SAVINGS_PLAN);
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
    void sends_the_item_uuid_as_client_token_and_reports_a_plan_that_started_earlier_as_recovered() {
        cloud.server.stubFor(post(urlEqualTo("/DescribeSavingsPlans"))
                .withRequestBody(matchingJsonPath("$.savingsPlanIds", absent()))
                .willReturn(json(200, "savingsplans/DescribeSavingsPlans-empty.json")));
        cloud.server.stubFor(post(urlEqualTo("/DescribeSavingsPlansOfferings"))
                .willReturn(json(200, "savingsplans/DescribeSavingsPlansOfferings.json")));
        cloud.server.stubFor(post(urlEqualTo("/CreateSavingsPlan"))
                .willReturn(json(200, "savingsplans/CreateSavingsPlan.json")));
        cloud.server.stubFor(post(urlEqualTo("/DescribeSavingsPlans"))
                .withRequestBody(matchingJsonPath("$.savingsPlanIds[0]"))
                .willReturn(json(200, "savingsplans/DescribeSavingsPlans-byId.json")));

        PurchaseOutcome outcome = savingsPlans.purchase(REQUEST, CONTEXT);

        // the describe says payment-pending: recovered, not final yet
        assertThat(outcome).isEqualTo(new PurchaseOutcome(OutcomeKind.RECOVERED,
                "8b2f6d4e-1c3a-4e7f-b590-2d6c8a1e4f73", CLIENT_TOKEN, true));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/DescribeSavingsPlans"))
                .withRequestBody(matchingJsonPath("$.states[?(@ == 'active')]")));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/DescribeSavingsPlansOfferings"))
                .withRequestBody(matchingJsonPath("$.planTypes[0]", equalTo("Compute")))
                .withRequestBody(matchingJsonPath("$.paymentOptions[0]", equalTo("No Upfront")))
                .withRequestBody(matchingJsonPath("$.durations[0]", equalTo("31536000"))));
        cloud.server.verify(1, postRequestedFor(urlEqualTo("/CreateSavingsPlan"))
                .withRequestBody(matchingJsonPath("$.clientToken", equalTo(CLIENT_TOKEN)))
                .withRequestBody(matchingJsonPath("$.savingsPlanOfferingId",
                        equalTo("4a8e2c1f-7b3d-4e59-9a06-1c5d8f2e7b34")))
                .withRequestBody(matchingJsonPath("$.commitment", equalTo("2.5")))
                .withRequestBody(matchingJsonPath("$.upfrontPaymentAmount", absent()))
                .withRequestBody(matchingJsonPath("$.tags['pledge:item-token']", equalTo(ITEM_KEY)))
                .withRequestBody(matchingJsonPath("$.tags['pledge:execution']", equalTo("exec-42"))));
    }

    @Test
    void a_plan_without_its_hourly_commitment_or_with_a_quantity_is_refused_before_anything_is_sent() {
        CommitmentRequest noCommitment = new CommitmentRequest(CommitmentType.AWS_SAVINGS_PLAN, "123456789012",
                "us-east-1", "Compute", 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of());
        CommitmentRequest twoPlans = new CommitmentRequest(CommitmentType.AWS_SAVINGS_PLAN, "123456789012",
                "us-east-1", "Compute", 2, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("hourlyCommitment", "1"));
        CommitmentRequest noFamily = new CommitmentRequest(CommitmentType.AWS_SAVINGS_PLAN, "123456789012",
                "us-east-1", "EC2Instance", 1, Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("hourlyCommitment", "1"));

        assertThatThrownBy(() -> savingsPlans.purchase(noCommitment, CONTEXT)).isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.field()).isEqualTo("attributes.hourlyCommitment"));
        assertThatThrownBy(() -> savingsPlans.purchase(twoPlans, CONTEXT)).isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.field()).isEqualTo("quantity"));
        assertThatThrownBy(() -> savingsPlans.purchase(noFamily, CONTEXT)).isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.field()).isEqualTo("attributes.instanceFamily"));
        assertThat(cloud.server.getAllServeEvents()).as("requests sent").isEmpty();
    }
}
