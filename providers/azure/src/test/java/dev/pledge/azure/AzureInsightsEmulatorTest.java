package dev.pledge.azure;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pledge.common.insight.CloudInsights;
import dev.pledge.common.insight.HeldCommitment;
import dev.pledge.common.insight.InsightException;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.Lookback;
import dev.pledge.common.insight.Money;
import dev.pledge.common.insight.Recommendation;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import dev.pledge.emulator.usage.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Azure inventory and recommendations over the real azure-core pipeline against the emulator, through a
 * recording WireMock proxy: each test checks the requests sent (path, api-version, $filter, nextLink paging) and
 * every parsed field.
 */
class AzureInsightsEmulatorTest {
    private static final String SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    private static final String SCOPE = "/subscriptions/" + SUB;
    private static final String PROFILE = "/providers/Microsoft.Billing/billingAccounts/1234:5678/billingProfiles/ABCD";
    private static Emulator emulator;
    private WireMockServer front;
    private CloudInsights insights;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void start() {
        emulator.reset();
        front = new WireMockServer(WireMockConfiguration.options().dynamicPort().gzipDisabled(true)
                .preserveHostHeader(true)); // nextLink is absolute: keep its pages on this recording proxy
        front.start();
        front.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(emulator.baseUrl().toString())));
        insights = new AzureInsightProvider().create(ProviderSettings.emulator(URI.create(front.baseUrl())));
    }

    @AfterEach
    void stop() {
        insights.close();
        front.stop();
    }

    private List<ServeEvent> served(String pathPart) {
        List<ServeEvent> out = new ArrayList<>(front.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().contains(pathPart)).toList());
        out.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return out;
    }

    private List<LoggedRequest> sent(String pathPart) {
        return served(pathPart).stream().map(ServeEvent::getRequest).toList();
    }

    private static String query(LoggedRequest r, String name) {
        return r.getQueryParams().containsKey(name) ? r.getQueryParams().get(name).firstValue() : null;
    }

    private static Offering offering(String type, String region, String product, String term, String payment) {
        return emulator.state().offerings(Cloud.AZURE, type, region).stream()
                .filter(o -> o.product().equals(product) && o.term().equals(term) && payment.equals(o.payment()))
                .findFirst().orElseThrow();
    }

    private static Commitment reservation(String scope, String id, String alias, String sku, String location, int qty,
                                          String payment, Instant bought) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("displayName", alias);
        attributes.put("term", "P1Y");
        if (payment.equals("monthly")) {
            attributes.put("billingPlan", "P1M");
        }
        attributes.put("appliedScopeType", "Shared");
        attributes.put("renew", "false");
        attributes.put("reservedResourceType", "VirtualMachines");
        return new Commitment(Cloud.AZURE, "azure-reservation", scope, location,
                "/providers/Microsoft.Capacity/reservationOrders/" + id, alias,
                offering("azure-reservation", location, sku, "1y", payment), qty, Map.of(), bought, "Succeeded",
                attributes);
    }

    private static InsightQuery query(CommitmentType type, String account, Term term, Lookback lookback) {
        return new InsightQuery(type, account, List.of(), term, null, lookback);
    }

    @Test
    void reservation_inventory_joins_every_page_of_the_orders_list_with_the_reservations_of_the_scope() {
        Instant now = emulator.state().now();
        for (int i = 0; i < 6; i++) {
            emulator.state().add(reservation(SCOPE, "00000000-0000-0000-0000-00000000000" + i, "pledge-alias-" + i,
                    "Standard_D2s_v3", "westeurope", i + 1, i == 0 ? "upfront" : "monthly", now.minusSeconds(86_400)));
        }
        emulator.state().add(reservation("/subscriptions/11111111-2222-3333-4444-555555555555",
                "99999999-0000-0000-0000-000000000000", "someone-else", "Standard_B2ms", "eastus", 9, "upfront", now));

        List<HeldCommitment> held = insights.inventory().stream()
                .filter(s -> s.type() == CommitmentType.AZURE_RESERVATION).findFirst().orElseThrow()
                .list(InsightQuery.inventory(CommitmentType.AZURE_RESERVATION, SUB, List.of()));

        List<LoggedRequest> orders = sent("/providers/Microsoft.Capacity/reservationOrders");
        assertThat(orders).hasSize(2);
        assertThat(orders.get(0).getUrl()).isEqualTo("/providers/Microsoft.Capacity/reservationOrders?api-version=2022-11-01");
        assertThat(orders.get(0).getHeader("Authorization")).startsWith("Bearer ");
        assertThat(query(orders.get(1), "$skiptoken")).isEqualTo("5");
        assertThat(query(orders.get(1), "api-version")).isEqualTo("2022-11-01");
        assertThat(sent("/providers/Microsoft.Capacity/reservations?")).extracting(LoggedRequest::getUrl)
                .containsExactly("/providers/Microsoft.Capacity/reservations?api-version=2022-11-01");

        assertThat(held).hasSize(6);
        HeldCommitment first = held.stream().filter(h -> h.commitmentId().endsWith("00000000000" + 0)).findFirst()
                .orElseThrow();
        assertThat(first.type()).isEqualTo(CommitmentType.AZURE_RESERVATION);
        assertThat(first.account()).isEqualTo(SUB);
        assertThat(first.region()).isEqualTo("westeurope");
        assertThat(first.commitmentId()).isEqualTo("/providers/Microsoft.Capacity/reservationOrders/"
                + "00000000-0000-0000-0000-000000000000");
        assertThat(first.key()).isEqualTo("pledge-alias-0");
        assertThat(first.offering()).isEqualTo("Standard_D2s_v3");
        assertThat(first.quantity()).isEqualTo(1);
        assertThat(first.hourlyCommitment()).isNull();
        assertThat(first.term()).isEqualTo(Term.ONE_YEAR);
        assertThat(first.payment()).isEqualTo(PaymentOption.UPFRONT);
        assertThat(first.start()).isEqualTo(now.minusSeconds(86_400));
        assertThat(first.end()).isEqualTo(now.minusSeconds(86_400).plusSeconds(365L * 86_400));
        assertThat(first.state()).isEqualTo("Succeeded");
        assertThat(first.active()).isTrue();
        assertThat(first.attributes()).containsEntry("reservedResourceType", "VirtualMachines")
                .containsEntry("appliedScopeType", "Shared").containsEntry("displayName", "pledge-alias-0");
        HeldCommitment monthly = held.stream().filter(h -> "pledge-alias-3".equals(h.key())).findFirst().orElseThrow();
        assertThat(monthly.payment()).isEqualTo(PaymentOption.MONTHLY);
        assertThat(monthly.quantity()).isEqualTo(4);
    }

    @Test
    void an_aged_order_is_listed_expired_and_not_active() {
        emulator.state().add(reservation(SCOPE, "00000000-0000-0000-0000-0000000000aa", "pledge-old", "Standard_D4s_v3",
                "northeurope", 2, "upfront", emulator.state().now()));
        emulator.client().advanceClock(Duration.ZERO);
        ageDays(400);

        List<HeldCommitment> held = insights.inventory().get(0).list(InsightQuery.inventory(
                CommitmentType.AZURE_RESERVATION, SUB, List.of()));

        assertThat(held).singleElement().satisfies(h -> {
            assertThat(h.state()).isEqualTo("Expired");
            assertThat(h.active()).isFalse();
            assertThat(h.end()).isBefore(emulator.state().now());
        });
    }

    private static void ageDays(int days) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            URI.create(emulator.baseUrl() + "/__pledge/clock"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"advanceDays\":" + days + "}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void savings_plan_inventory_reads_the_hourly_commitment_of_each_order() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("displayName", "pledge-sp-1");
        attributes.put("term", "P3Y");
        attributes.put("billingPlan", "P1M");
        attributes.put("appliedScopeType", "Shared");
        attributes.put("amount", "2.5");
        attributes.put("currencyCode", "USD");
        Instant bought = emulator.state().now();
        emulator.state().add(new Commitment(Cloud.AZURE, "azure-savings-plan", SCOPE, "global",
                "/providers/Microsoft.BillingBenefits/savingsPlanOrders/spo-1", "pledge-sp-1",
                offering("azure-savings-plan", "global", "Compute_Savings_Plan", "3y", "monthly"), 1, Map.of(), bought,
                "Succeeded", attributes));

        List<HeldCommitment> held = insights.inventory().get(1).list(InsightQuery.inventory(
                CommitmentType.AZURE_SAVINGS_PLAN, SCOPE, List.of()));

        assertThat(sent("/providers/Microsoft.BillingBenefits/savingsPlanOrders")).extracting(LoggedRequest::getUrl)
                .containsExactly("/providers/Microsoft.BillingBenefits/savingsPlanOrders?api-version=2022-11-01");
        assertThat(sent("/providers/Microsoft.BillingBenefits/savingsPlans?")).hasSize(1);
        assertThat(held).singleElement().satisfies(h -> {
            assertThat(h.type()).isEqualTo(CommitmentType.AZURE_SAVINGS_PLAN);
            assertThat(h.commitmentId()).isEqualTo("/providers/Microsoft.BillingBenefits/savingsPlanOrders/spo-1");
            assertThat(h.key()).isEqualTo("pledge-sp-1");
            assertThat(h.region()).isEqualTo("global");
            assertThat(h.offering()).isEqualTo("Compute_Savings_Plan");
            assertThat(h.quantity()).isEqualTo(1);
            assertThat(h.hourlyCommitment()).isEqualByComparingTo("2.5");
            assertThat(h.recurringHourly()).isEqualTo(new Money(new BigDecimal("2.5"), "USD"));
            assertThat(h.term()).isEqualTo(Term.THREE_YEARS);
            assertThat(h.payment()).isEqualTo(PaymentOption.MONTHLY);
            assertThat(h.start()).isEqualTo(bought);
            assertThat(h.end()).isEqualTo(bought.plusSeconds(3 * 365L * 86_400));
            assertThat(h.active()).isTrue();
        });
    }

    private static void usage(String account, String type, String region, String product, String units, String od) {
        emulator.state().usage().put(List.of(new Usage(Cloud.AZURE, type, account, region, product,
                new BigDecimal(units), od == null ? null : new BigDecimal(od), Map.of())));
    }

    @Test
    void legacy_reservation_recommendations_follow_every_nextLink_and_keep_the_asked_term() {
        String[] skus = {"Standard_D2s_v3", "Standard_D4s_v3", "Standard_E4s_v3", "Standard_B2ms", "Standard_F4s_v2"};
        for (int i = 0; i < skus.length; i++) {
            usage(SCOPE, "azure-reservation", "westeurope", skus[i], String.valueOf(i + 2), null);
        }
        usage(SCOPE, "azure-reservation", "eastus", "Standard_D2s_v3", "3", "0.1");
        emulator.state().add(reservation(SCOPE, "00000000-0000-0000-0000-0000000000bb", "pledge-held", "Standard_D2s_v3",
                "eastus", 1, "monthly", emulator.state().now()));

        List<Recommendation> recs = insights.recommendations().get(0).fetch(query(CommitmentType.AZURE_RESERVATION, SUB,
                Term.ONE_YEAR, Lookback.THIRTY_DAYS));

        List<LoggedRequest> requests = sent("/reservationRecommendations");
        assertThat(requests).hasSize(3); // 12 rows (6 lines x 2 terms), 5 a page
        LoggedRequest first = requests.get(0);
        assertThat(first.getUrl()).startsWith(SCOPE + "/providers/Microsoft.Consumption/reservationRecommendations?");
        assertThat(query(first, "api-version")).isEqualTo("2023-05-01");
        assertThat(query(first, "$filter")).isEqualTo("properties/scope eq 'Shared' and properties/lookBackPeriod eq "
                + "'Last30Days'");
        assertThat(query(requests.get(1), "$skiptoken")).isEqualTo("5");
        assertThat(query(requests.get(2), "$skiptoken")).isEqualTo("10");
        assertThat(query(requests.get(2), "$filter")).isEqualTo(query(first, "$filter"));

        assertThat(recs).hasSize(6).allSatisfy(r -> {
            assertThat(r.term()).isEqualTo(Term.ONE_YEAR);
            assertThat(r.type()).isEqualTo(CommitmentType.AZURE_RESERVATION);
            assertThat(r.account()).isEqualTo(SUB);
            assertThat(r.payment()).isEqualTo(PaymentOption.MONTHLY);
            assertThat(r.lookback()).isEqualTo("P30D");
            assertThat(r.purchaseAttributes()).containsExactly(Map.entry("reservedResourceType", "VirtualMachines"));
            assertThat(r.details()).containsEntry("kind", "legacy").containsEntry("scope", "Shared")
                    .containsEntry("subscriptionId", SUB);
            assertThat(r.cloudRecommendationId()).startsWith(SCOPE
                    + "/providers/Microsoft.Consumption/reservationRecommendations/");
        });
        Recommendation east = recs.stream().filter(r -> r.region().equals("eastus")).findFirst().orElseThrow();
        assertThat(east.offering()).isEqualTo("Standard_D2s_v3");
        assertThat(east.quantity()).isEqualTo(2); // 3 used, 1 held
        // on demand 0.1/h, reservation 0.0576/h (0.096 x 0.6); 30 days of savings scaled to 730 hours
        BigDecimal perHour = new BigDecimal("0.1").subtract(new BigDecimal("0.0576")).multiply(BigDecimal.valueOf(2));
        assertThat(east.monthlySavings()).isEqualTo(new Money(perHour.multiply(new BigDecimal("730"))
                .setScale(2, java.math.RoundingMode.HALF_UP), "USD"));
        assertThat(east.upfrontCost()).isEqualTo(new Money(BigDecimal.ZERO, "USD"));
        assertThat(east.monthlyRecurringCost().amount()).isEqualByComparingTo(new BigDecimal("0.1").multiply(
                BigDecimal.valueOf(3)).multiply(new BigDecimal("730")).subtract(east.monthlySavings().amount()));
        assertThat(east.details()).containsEntry("monthlyCostWithoutReservation", "219.00")
                .containsEntry("normalizedSize", "Standard_D2s_v3").containsEntry("quantityAsSent", "2")
                .containsKeys("meterId", "firstUsageDate", "instanceFlexibilityGroup");
    }

    @Test
    void modern_rows_of_a_billing_profile_read_money_objects_and_a_numeric_lookback() {
        usage(PROFILE, "azure-reservation", "westus2", "Standard_E4s_v3", "4", "0.3");

        List<Recommendation> recs = insights.recommendations().get(0).fetch(query(CommitmentType.AZURE_RESERVATION,
                PROFILE, Term.THREE_YEARS, Lookback.SEVEN_DAYS));

        assertThat(sent("/reservationRecommendations")).singleElement().satisfies(r -> {
            assertThat(r.getUrl()).startsWith(PROFILE + "/providers/Microsoft.Consumption/reservationRecommendations?");
            assertThat(query(r, "$filter")).endsWith("properties/lookBackPeriod eq 'Last7Days'");
        });
        assertThat(recs).singleElement().satisfies(r -> {
            assertThat(r.details()).containsEntry("kind", "modern");
            assertThat(r.region()).isEqualTo("westus2");
            assertThat(r.offering()).isEqualTo("Standard_E4s_v3");
            assertThat(r.quantity()).isEqualTo(4);
            assertThat(r.term()).isEqualTo(Term.THREE_YEARS);
            assertThat(r.lookback()).isEqualTo("P7D");
            // 3y reservation 0.1008/h (0.252 x 0.4) against 0.3 on demand, four of them
            assertThat(r.monthlySavings().amount()).isEqualByComparingTo(new BigDecimal("0.3")
                    .subtract(new BigDecimal("0.1008")).multiply(BigDecimal.valueOf(4)).multiply(new BigDecimal("730"))
                    .setScale(2, java.math.RoundingMode.HALF_UP));
        });
    }

    @Test
    void no_usage_answers_204_which_is_an_empty_list() {
        List<Recommendation> recs = insights.recommendations().get(0).fetch(query(CommitmentType.AZURE_RESERVATION, SUB,
                Term.ONE_YEAR, Lookback.THIRTY_DAYS));

        assertThat(served("/reservationRecommendations")).singleElement()
                .satisfies(e -> assertThat(e.getResponse().getStatus()).isEqualTo(204));
        assertThat(recs).isEmpty();
    }

    @Test
    void benefit_recommendations_send_term_lookback_and_expand_and_parse_the_hourly_commitment() {
        usage(SCOPE, "azure-savings-plan", "global", "Compute_Savings_Plan", "4", null);
        Map<String, String> attributes = Map.of("displayName", "pledge-sp", "term", "P1Y", "amount", "1.5",
                "currencyCode", "USD", "appliedScopeType", "Shared");
        emulator.state().add(new Commitment(Cloud.AZURE, "azure-savings-plan", SCOPE, "global",
                "/providers/Microsoft.BillingBenefits/savingsPlanOrders/spo-2", "pledge-sp",
                offering("azure-savings-plan", "global", "Compute_Savings_Plan", "1y", "upfront"), 1, Map.of(),
                emulator.state().now(), "Succeeded", attributes));

        Instant before = emulator.state().now();
        List<Recommendation> recs = insights.recommendations().get(1).fetch(query(CommitmentType.AZURE_SAVINGS_PLAN,
                SUB, Term.ONE_YEAR, Lookback.SIXTY_DAYS));
        Instant after = emulator.state().now();

        assertThat(sent("/benefitRecommendations")).singleElement().satisfies(r -> {
            assertThat(r.getUrl()).startsWith(SCOPE + "/providers/Microsoft.CostManagement/benefitRecommendations?");
            assertThat(query(r, "api-version")).isEqualTo("2022-10-01");
            assertThat(query(r, "$filter")).isEqualTo("properties/scope eq 'Shared' and properties/lookBackPeriod eq "
                    + "'Last60Days' and properties/term eq 'P1Y'");
            assertThat(query(r, "$expand")).isEqualTo("properties/usage,properties/allRecommendationDetails");
        });
        assertThat(recs).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(CommitmentType.AZURE_SAVINGS_PLAN);
            assertThat(r.region()).isEqualTo("global");
            assertThat(r.offering()).isEqualTo("Compute_Savings_Plan");
            assertThat(r.quantity()).isEqualTo(1);
            assertThat(r.hourlyCommitment()).isEqualByComparingTo("2.5");
            assertThat(r.purchaseAttributes()).containsEntry("hourlyCommitment", "2.5").containsEntry("currency", "USD");
            assertThat(r.term()).isEqualTo(Term.ONE_YEAR);
            assertThat(r.payment()).isEqualTo(PaymentOption.MONTHLY);
            assertThat(r.lookback()).isEqualTo("P60D");
            // 2.5/h of plan covers 2.5/0.65 of on demand: saves 2.5 x (1/0.65 - 1) an hour
            BigDecimal perHour = new BigDecimal("2.5").divide(new BigDecimal("0.65"), 6, java.math.RoundingMode.HALF_UP)
                    .subtract(new BigDecimal("2.5"));
            assertThat(r.monthlySavings().amount().subtract(perHour.multiply(new BigDecimal("730"))).abs())
                    .isLessThan(new BigDecimal("0.02"));
            assertThat(r.monthlyRecurringCost()).isEqualTo(new Money(new BigDecimal("1825.00"), "USD"));
            assertThat(r.details()).containsEntry("coveragePercentage", "62.5").containsEntry("alternatives", "1")
                    .containsEntry("averageUtilizationPercentage", "100")
                    .containsKeys("savingsPercentage", "monthlyCostWithoutBenefit", "monthlyTotalCost",
                            "firstConsumptionDate");
            assertThat(r.generatedAt()).isBetween(before, after);
        });
    }

    @Test
    void a_throttled_read_waits_for_retry_after_then_succeeds() {
        usage(SCOPE, "azure-reservation", "westeurope", "Standard_B2ms", "2", null);
        emulator.client().inject(FaultSpec.of(Cloud.AZURE, "azure-reservation", "ReservationRecommendations_List",
                FaultKind.THROTTLE, 1));

        List<Recommendation> recs = insights.recommendations().get(0).fetch(query(CommitmentType.AZURE_RESERVATION, SUB,
                Term.ONE_YEAR, Lookback.SEVEN_DAYS));

        List<ServeEvent> events = served("/reservationRecommendations");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).getResponse().getStatus()).isEqualTo(429);
        assertThat(events.get(0).getResponse().getHeaders().getHeader("Retry-After").firstValue()).isEqualTo("1");
        assertThat(events.get(1).getResponse().getStatus()).isEqualTo(200);
        assertThat(events.get(1).getRequest().getLoggedDate().getTime()
                - events.get(0).getRequest().getLoggedDate().getTime()).isGreaterThanOrEqualTo(1000);
        assertThat(recs).singleElement().satisfies(r -> assertThat(r.offering()).isEqualTo("Standard_B2ms"));
    }

    @Test
    void throttling_that_outlasts_the_retries_is_a_throttled_insight_failure() {
        emulator.client().inject(FaultSpec.of(Cloud.AZURE, "azure-savings-plan", "SavingsPlanOrder_List",
                FaultKind.THROTTLE, 10));

        assertThatThrownBy(() -> insights.inventory().get(1).list(InsightQuery.inventory(
                CommitmentType.AZURE_SAVINGS_PLAN, SUB, List.of())))
                .isInstanceOfSatisfying(InsightException.class, e -> {
                    assertThat(e.throttled()).isTrue();
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.cloudCode()).isEqualTo("TooManyRequests");
                    assertThat(e.getMessage()).contains("azure-savings-plan orders of " + SCOPE).contains("429");
                });
        assertThat(sent("/savingsPlanOrders")).hasSize(3);
    }

    @Test
    void an_account_that_is_no_billing_scope_fails_naming_the_account() {
        assertThatThrownBy(() -> insights.recommendations().get(1).fetch(query(CommitmentType.AZURE_SAVINGS_PLAN,
                "not-a-scope", Term.ONE_YEAR, Lookback.SEVEN_DAYS)))
                .isInstanceOf(InsightException.class).hasMessageContaining("account").hasMessageContaining("not-a-scope");
        assertThat(front.getAllServeEvents()).isEmpty();
    }
}
