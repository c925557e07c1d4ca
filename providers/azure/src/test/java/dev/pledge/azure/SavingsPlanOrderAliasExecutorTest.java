package dev.pledge.azure;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.KeyConflictException;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.ProviderSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pledge.azure.AzureFixtures.freshContext;
import static dev.pledge.azure.AzureFixtures.recorded;
import static dev.pledge.azure.AzureFixtures.savingsPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The savings-plan executor against WireMock: the request sent, and the parsing of recorded ARM answers. */
class SavingsPlanOrderAliasExecutorTest {
    private static final String ALIASES = "/providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/";
    private static WireMockServer arm;
    private static CommitmentExecutor executor;

    @BeforeAll
    static void startArm() {
        arm = new WireMockServer(options().dynamicPort());
        arm.start();
        ProviderSettings settings = ProviderSettings.emulator(URI.create(arm.baseUrl()))
                .withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
        executor = new SavingsPlanOrderAliasExecutor(new ArmConnections(settings), settings);
    }

    @AfterAll
    static void stopArm() {
        arm.stop();
    }

    @BeforeEach
    void forgetStubs() {
        arm.resetAll();
    }

    @Test
    void a_new_plan_is_put_with_the_hourly_commitment_and_followed_through_location_to_the_bought_order() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(404)));
        arm.stubFor(put(urlPathEqualTo(ALIASES + alias)).willReturn(aResponse().withStatus(202)
                .withHeader("Location", arm.baseUrl() + "/providers/Microsoft.BillingBenefits/operationResults/sp-op")));
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/operationResults/sp-op"))
                .willReturn(aResponse().withBody(recorded("savings-plan-alias-succeeded.json", alias))));

        PurchaseOutcome outcome = executor.purchase(savingsPlan("2.5"), ctx);

        assertThat(outcome.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(outcome.commitmentId())
                .isEqualTo("/providers/Microsoft.BillingBenefits/savingsPlanOrders/4f7e2d10-8b9c-4a5d-b6e7-0a1b2c3d4e5f");
        arm.verify(1, putRequestedFor(urlPathEqualTo(ALIASES + alias))
                .withQueryParam("api-version", equalTo("2022-11-01"))
                .withHeader("Authorization", equalTo("Bearer " + EmulatorBearerPolicy.TOKEN))
                .withRequestBody(equalToJson("""
                        {"sku":{"name":"Compute_Savings_Plan"},
                         "properties":{"displayName":"%s",
                           "billingScopeId":"/subscriptions/11111111-2222-3333-4444-555555555555",
                           "term":"P3Y","billingPlan":"P1M","appliedScopeType":"Shared","renew":false,
                           "commitment":{"grain":"Hourly","currencyCode":"USD","amount":2.5}}}""".formatted(alias))));
    }

    @Test
    void an_existing_plan_with_another_hourly_amount_is_a_key_conflict() {
        PurchaseContext ctx = freshContext();
        String alias = OrderAliasExecutor.alias(ctx);
        arm.stubFor(get(urlPathEqualTo(ALIASES + alias))
                .willReturn(aResponse().withBody(recorded("savings-plan-alias-succeeded.json", alias))));

        assertThat(executor.purchase(savingsPlan("2.50"), ctx).kind()).isEqualTo(OutcomeKind.ALREADY_OWNED);
        assertThatThrownBy(() -> executor.purchase(savingsPlan("3"), ctx))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("hourly commitment is 2.5");
        arm.verify(0, putRequestedFor(urlPathEqualTo(ALIASES + alias)));
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
            "hourlyCommitment, -1, attributes.hourlyCommitment",
            "hourlyCommitment, lots, attributes.hourlyCommitment",
            "hourlyCommitment, 0.0001, attributes.hourlyCommitment",
            "currency, usd, attributes.currency",
            "appliedScopeType, Everywhere, attributes.appliedScopeType",
            "hourlyComitment, 1, attributes.hourlyComitment"})
    void bad_attributes_are_refused_naming_the_attribute_and_nothing_is_sent(String key, String value, String field) {
        Map<String, String> attributes = new HashMap<>(Map.of("hourlyCommitment", "1"));
        attributes.put(key, value);
        CommitmentRequest request = new CommitmentRequest(CommitmentType.AZURE_SAVINGS_PLAN,
                AzureFixtures.SUBSCRIPTION, "global", "Compute_Savings_Plan", 1, Term.ONE_YEAR, PaymentOption.UPFRONT,
                attributes);

        assertThatThrownBy(() -> executor.purchase(request, freshContext()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
        assertThat(arm.getAllServeEvents()).isEmpty();
    }

    @Test
    void a_missing_hourly_commitment_is_refused_naming_it() {
        CommitmentRequest request = new CommitmentRequest(CommitmentType.AZURE_SAVINGS_PLAN,
                AzureFixtures.SUBSCRIPTION, "global", "Compute_Savings_Plan", 1, Term.FIVE_YEARS, PaymentOption.UPFRONT,
                Map.of());
        assertThatThrownBy(() -> executor.validate(request))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("attributes.hourlyCommitment"));
    }

    @Test
    void a_quantity_other_than_one_is_refused_naming_the_quantity() {
        CommitmentRequest request = new CommitmentRequest(CommitmentType.AZURE_SAVINGS_PLAN,
                AzureFixtures.SUBSCRIPTION, "global", "Compute_Savings_Plan", 4, Term.ONE_YEAR, PaymentOption.UPFRONT,
                Map.of("hourlyCommitment", "1"));
        assertThatThrownBy(() -> executor.validate(request))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("quantity"));
    }

    @Test
    void a_savings_plan_quote_is_its_hourly_commitment_without_a_cloud_call() {
        assertThat(executor.quote(savingsPlan("2.5"))).hasValueSatisfying(q -> {
            assertThat(q.recurring()).isEqualByComparingTo("2.5");
            assertThat(q.recurringUnit()).isEqualTo("hour");
            assertThat(q.upfront()).isZero();
        });
        CommitmentRequest upfront = new CommitmentRequest(CommitmentType.AZURE_SAVINGS_PLAN, AzureFixtures.SUBSCRIPTION,
                "global", "Compute_Savings_Plan", 1, Term.ONE_YEAR, PaymentOption.UPFRONT, Map.of("hourlyCommitment", "2"));
        assertThat(executor.quote(upfront)).hasValueSatisfying(q -> assertThat(q.upfront()).isEqualByComparingTo("17520"));
        assertThat(arm.getAllServeEvents()).isEmpty();
    }

    @Test
    void recent_purchases_keep_plans_of_the_same_billing_scope_bought_since_the_instant() {
        arm.stubFor(get(urlPathEqualTo("/providers/Microsoft.BillingBenefits/savingsPlans"))
                .willReturn(aResponse().withBody(recorded("savings-plans-list.json", null))));

        List<ExistingCommitment> recent = executor.recentPurchases(savingsPlan("2.5"), Instant.parse("2026-11-23T00:00:00Z"));

        assertThat(recent).extracting(ExistingCommitment::commitmentId)
                .containsExactly("/providers/Microsoft.BillingBenefits/savingsPlanOrders/bbbbbbbb-0000-0000-0000-000000000001");
        assertThat(executor.recentPurchases(savingsPlan("2.5"), Instant.parse("2026-11-23T10:00:01Z"))).isEmpty();
    }
}
