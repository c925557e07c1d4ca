package dev.pledge.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AWS inventory and Cost Explorer recommendations with the real SDK clients against the emulator, through
 * a recording WireMock proxy so each test checks the requests actually sent (operation, filters, paging
 * token) as well as every parsed field.
 */
class AwsInsightsEmulatorTest {
    private static final String ACCOUNT = "111122223333";
    private static final Emulator EMULATOR = SharedEmulator.emulator();

    private WireMockServer front;
    private CloudInsights insights;
    private AwsClients clients;

    @BeforeEach
    void start() {
        EMULATOR.reset();
        front = new WireMockServer(WireMockConfiguration.options().dynamicPort().gzipDisabled(true));
        front.start();
        front.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(EMULATOR.baseUrl().toString())));
        ProviderSettings settings = ProviderSettings.emulator(URI.create(front.baseUrl()));
        insights = new AwsInsightProvider().create(settings);
        clients = new AwsClients(settings);
    }

    @AfterEach
    void stop() {
        insights.close();
        clients.close();
        front.stop();
    }

    private static void usage(String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(EMULATOR.baseUrl() + "/__pledge/usage"))
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private List<LoggedRequest> sent(String operation) {
        return front.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> ("AWSInsightsIndexService." + operation).equals(r.getHeader("X-Amz-Target"))
                        || r.getBodyAsString().contains("Action=" + operation + "&")
                        || r.getUrl().endsWith("/" + operation))
                .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(LoggedRequest r) {
        return com.github.tomakehurst.wiremock.common.Json.read(r.getBodyAsString(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> m, String... path) {
        Object o = m;
        for (String p : path) {
            o = o instanceof Map<?, ?> x ? ((Map<String, Object>) x).get(p) : null;
        }
        return o;
    }

    private static Offering offering(String type, String region, String product, String term, String payment) {
        return EMULATOR.state().offerings(Cloud.AWS, type, region).stream()
                .filter(o -> o.product().equals(product) && o.term().equals(term) && payment.equals(o.payment()))
                .findFirst().orElseThrow();
    }

    @Test
    void rds_recommendations_follow_every_page_and_parse_every_field() throws Exception {
        usage("""
                [{"cloud":"aws","type":"aws-rds","account":"111122223333","region":"us-east-1","product":"db.r6g.large",
                  "units":"5","onDemandHourly":"0.5","attributes":{"productDescription":"postgresql"}},
                 {"cloud":"aws","type":"aws-rds","account":"111122223333","region":"us-west-2","product":"db.m5.large","units":"2"},
                 {"cloud":"aws","type":"aws-rds","account":"111122223333","region":"eu-west-1","product":"db.t3.medium","units":"1"},
                 {"cloud":"aws","type":"aws-rds","account":"999999999999","region":"us-east-1","product":"db.t3.medium","units":"7"}]""");
        Offering held = offering("aws-rds", "us-east-1", "db.r6g.large", "1y", "no-upfront");
        EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-rds", ACCOUNT, "us-east-1", "pledge-held-1",
                "pledge-held-1", held, 2, Map.of(), EMULATOR.state().now(), "active", Map.of()));

        List<Recommendation> recs = new CostExplorerRecommendations(clients, CommitmentType.AWS_RDS,
                "Amazon Relational Database Service", 2).fetch(new InsightQuery(CommitmentType.AWS_RDS, ACCOUNT,
                List.of(), Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Lookback.SIXTY_DAYS));

        List<LoggedRequest> requests = sent("GetReservationPurchaseRecommendation");
        assertThat(requests).hasSize(2);
        Map<String, Object> first = body(requests.get(0));
        assertThat(requests.get(0).getHeader("Content-Type")).startsWith("application/x-amz-json-1.1");
        assertThat(String.valueOf(at(first, "Service"))).isEqualTo("Amazon Relational Database Service");
        assertThat(String.valueOf(at(first, "AccountId"))).isEqualTo(ACCOUNT);
        assertThat(String.valueOf(at(first, "AccountScope"))).isEqualTo("LINKED");
        assertThat(String.valueOf(at(first, "TermInYears"))).isEqualTo("ONE_YEAR");
        assertThat(String.valueOf(at(first, "PaymentOption"))).isEqualTo("NO_UPFRONT");
        assertThat(String.valueOf(at(first, "LookbackPeriodInDays"))).isEqualTo("SIXTY_DAYS");
        assertThat(((Number) at(first, "PageSize")).intValue()).isEqualTo(2);
        assertThat(first.containsKey("NextPageToken")).isFalse();
        assertThat(String.valueOf(at(body(requests.get(1)), "NextPageToken"))).isEqualTo("2");
        assertThat(requests.get(0).getHeader("Authorization")).contains("/us-east-1/ce/aws4_request");

        assertThat(recs).extracting(Recommendation::region, Recommendation::offering, Recommendation::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("us-east-1", "db.r6g.large", 3),
                        org.assertj.core.groups.Tuple.tuple("us-west-2", "db.m5.large", 2),
                        org.assertj.core.groups.Tuple.tuple("eu-west-1", "db.t3.medium", 1));
        Recommendation r = recs.get(0);
        BigDecimal recurring = held.hourly().multiply(new BigDecimal("730")).multiply(BigDecimal.valueOf(3));
        BigDecimal onDemand = new BigDecimal("0.5").multiply(new BigDecimal("730")).multiply(BigDecimal.valueOf(3));
        assertThat(r.type()).isEqualTo(CommitmentType.AWS_RDS);
        assertThat(r.account()).isEqualTo(ACCOUNT);
        assertThat(r.term()).isEqualTo(Term.ONE_YEAR);
        assertThat(r.payment()).isEqualTo(PaymentOption.NO_UPFRONT);
        assertThat(r.hourlyCommitment()).isNull();
        assertThat(r.purchaseAttributes()).isEqualTo(Map.of("productDescription", "postgresql"));
        assertThat(r.monthlySavings()).isEqualTo(new Money(onDemand.subtract(recurring).setScale(2,
                RoundingMode.HALF_UP), "USD"));
        assertThat(r.upfrontCost()).isEqualTo(new Money(new BigDecimal("0.00"), "USD"));
        assertThat(r.monthlyRecurringCost()).isEqualTo(new Money(recurring.setScale(2, RoundingMode.HALF_UP), "USD"));
        assertThat(r.breakEvenMonths()).isEqualByComparingTo("0");
        assertThat(r.lookback()).isEqualTo("P60D");
        assertThat(r.cloudRecommendationId()).contains(ACCOUNT + ":us-east-1:db.r6g.large:postgresql");
        assertThat(r.generatedAt()).isNotNull();
        assertThat(r.details()).containsEntry("minimumInstancesPerHour", "5")
                .containsEntry("averageInstancesPerHour", "5").containsEntry("maximumInstancesPerHour", "5")
                .containsEntry("averageUtilization", "100.0").containsEntry("family", "r6g")
                .containsEntry("estimatedMonthlyOnDemandCost", onDemand.setScale(2, RoundingMode.HALF_UP)
                        .toPlainString());
    }

    @Test
    void throttling_then_success_is_retried_by_the_client_and_persistent_throttling_is_reported_as_such()
            throws Exception {
        usage("""
                {"cloud":"aws","type":"aws-memorydb","account":"111122223333","region":"us-east-1","product":"db.r6g.large","units":"2"}""");
        EMULATOR.inject(FaultSpec.of(Cloud.AWS, "aws-memorydb", "GetReservationPurchaseRecommendation",
                FaultKind.THROTTLE, 1));
        List<Recommendation> recs = insights.recommendations().stream()
                .filter(s -> s.type() == CommitmentType.AWS_MEMORYDB).findFirst().orElseThrow()
                .fetch(new InsightQuery(CommitmentType.AWS_MEMORYDB, ACCOUNT, List.of(), Term.THREE_YEARS,
                        PaymentOption.ALL_UPFRONT, Lookback.THIRTY_DAYS));
        assertThat(sent("GetReservationPurchaseRecommendation")).hasSize(2);
        assertThat(recs).singleElement().satisfies(r -> {
            assertThat(r.offering()).isEqualTo("db.r6g.large");
            assertThat(r.quantity()).isEqualTo(2);
            assertThat(r.term()).isEqualTo(Term.THREE_YEARS);
            assertThat(r.upfrontCost().amount()).isPositive();
            assertThat(r.breakEvenMonths()).isPositive();
        });

        EMULATOR.inject(FaultSpec.of(Cloud.AWS, "aws-memorydb", "GetReservationPurchaseRecommendation",
                FaultKind.THROTTLE, 3));
        assertThatThrownBy(() -> insights.recommendations().stream()
                .filter(s -> s.type() == CommitmentType.AWS_MEMORYDB).findFirst().orElseThrow()
                .fetch(InsightQuery.inventory(CommitmentType.AWS_MEMORYDB, ACCOUNT, List.of())))
                .isInstanceOfSatisfying(InsightException.class, e -> {
                    assertThat(e.throttled()).isTrue();
                    assertThat(e.cloudCode()).isEqualTo("LimitExceededException");
                    assertThat(e.getMessage()).contains("aws-memorydb").contains(ACCOUNT);
                });
    }

    @Test
    void savings_plan_recommendations_ask_for_compute_and_ec2_instance_plans_net_of_plans_held() throws Exception {
        usage("""
                [{"cloud":"aws","type":"aws-savings-plan","account":"111122223333","region":"global","product":"Compute","units":"5.5"},
                 {"cloud":"aws","type":"aws-savings-plan","account":"111122223333","region":"us-west-2","product":"EC2Instance",
                  "units":"1.25","attributes":{"instanceFamily":"c5"}}]""");
        Offering compute = offering("aws-savings-plan", "global", "Compute", "1y", "no-upfront");
        EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-savings-plan", ACCOUNT, "global", "sp-held", "token",
                compute, 1, Map.of(), EMULATOR.state().now(), "active", Map.of("commitment", "2")));

        List<Recommendation> recs = insights.recommendations().stream()
                .filter(s -> s.type() == CommitmentType.AWS_SAVINGS_PLAN).findFirst().orElseThrow()
                .fetch(new InsightQuery(CommitmentType.AWS_SAVINGS_PLAN, ACCOUNT, List.of(), Term.ONE_YEAR,
                        PaymentOption.NO_UPFRONT, Lookback.SEVEN_DAYS));

        List<LoggedRequest> requests = sent("GetSavingsPlansPurchaseRecommendation");
        assertThat(requests).extracting(r -> String.valueOf(at(body(r), "SavingsPlansType")))
                .containsExactly("COMPUTE_SP", "EC2_INSTANCE_SP");
        Map<String, Object> first = body(requests.get(0));
        assertThat(String.valueOf(at(first, "LookbackPeriodInDays"))).isEqualTo("SEVEN_DAYS");
        assertThat(String.valueOf(at(first, "Filter", "Dimensions", "Key"))).isEqualTo("LINKED_ACCOUNT");
        assertThat(String.valueOf(((List<?>) at(first, "Filter", "Dimensions", "Values")).get(0))).isEqualTo(ACCOUNT);

        assertThat(recs).hasSize(2);
        Recommendation c = recs.get(0);
        assertThat(c.offering()).isEqualTo("Compute");
        assertThat(c.region()).isEqualTo("global");
        assertThat(c.quantity()).isEqualTo(1);
        assertThat(c.hourlyCommitment()).isEqualByComparingTo("3.5");
        assertThat(c.purchaseAttributes()).isEqualTo(Map.of("hourlyCommitment", "3.5"));
        // on demand 3.5 / 0.7 = 5 per hour: 1.5 saved per hour, 730 hours
        assertThat(c.monthlySavings()).isEqualTo(new Money(new BigDecimal("1095.00"), "USD"));
        assertThat(c.monthlyRecurringCost()).isEqualTo(new Money(new BigDecimal("2555.00"), "USD"));
        assertThat(c.upfrontCost().amount()).isEqualByComparingTo("0");
        assertThat(c.details()).containsEntry("currentAverageHourlyOnDemandSpend", "5.000")
                .containsEntry("estimatedSavingsPercentage", "30.00").containsKey("offeringId");
        Recommendation e = recs.get(1);
        assertThat(e.offering()).isEqualTo("EC2Instance");
        assertThat(e.region()).isEqualTo("us-west-2");
        assertThat(e.purchaseAttributes()).isEqualTo(Map.of("hourlyCommitment", "1.25", "instanceFamily", "c5"));
        assertThat(e.cloudRecommendationId()).isNotBlank();
    }

    @Test
    void inventory_lists_every_page_and_computes_the_end_from_start_and_duration() {
        Offering rds = offering("aws-rds", "us-east-1", "db.m5.large", "3y", "partial-upfront");
        Instant start = Instant.parse("2026-01-15T10:00:00Z");
        for (int i = 0; i < 150; i++) {
            EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-rds", ACCOUNT, "us-east-1", "pledge-rds-" + i,
                    "pledge-rds-" + i, rds, 2, Map.of(), start, "active", Map.of()));
        }
        EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-rds", ACCOUNT, "us-east-1", "bought-by-hand", "bought-by-hand",
                rds, 1, Map.of(), start, "retired", Map.of()));

        List<HeldCommitment> held = insights.inventory().stream().filter(s -> s.type() == CommitmentType.AWS_RDS)
                .findFirst().orElseThrow().list(InsightQuery.inventory(CommitmentType.AWS_RDS, ACCOUNT,
                        List.of("us-east-1", "eu-west-1")));

        List<LoggedRequest> requests = sent("DescribeReservedDBInstances");
        assertThat(requests).hasSize(3);
        assertThat(requests.get(1).getBodyAsString()).contains("Marker=100");
        assertThat(requests.get(2).getHeader("Authorization")).contains("/eu-west-1/rds/");
        assertThat(held).hasSize(151);
        HeldCommitment h = held.get(0);
        assertThat(h.commitmentId()).isEqualTo("pledge-rds-0");
        assertThat(h.key()).isEqualTo("pledge-rds-0");
        assertThat(h.offering()).isEqualTo("db.m5.large");
        assertThat(h.offeringId()).isEqualTo(rds.offeringId());
        assertThat(h.quantity()).isEqualTo(2);
        assertThat(h.term()).isEqualTo(Term.THREE_YEARS);
        assertThat(h.payment()).isEqualTo(PaymentOption.PARTIAL_UPFRONT);
        assertThat(h.start()).isEqualTo(start);
        assertThat(h.end()).isEqualTo(start.plusSeconds(3 * 365L * 86400));
        assertThat(h.active()).isTrue();
        assertThat(h.upfront()).isEqualTo(new Money(rds.upfront().multiply(BigDecimal.valueOf(2)), "USD"));
        assertThat(h.recurringHourly().amount()).isEqualByComparingTo(rds.hourly().multiply(BigDecimal.valueOf(2)));
        assertThat(h.attributes()).containsEntry("productDescription", "postgresql");
        HeldCommitment byHand = held.get(150);
        assertThat(byHand.key()).isNull();
        assertThat(byHand.active()).isFalse();
    }

    @Test
    void reads_of_two_accounts_share_one_client_and_each_is_signed_with_its_own_account() {
        Offering rds = offering("aws-rds", "us-east-1", "db.m5.large", "1y", "no-upfront");
        Instant start = Instant.parse("2026-01-15T10:00:00Z");
        EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-rds", ACCOUNT, "us-east-1", "pledge-mine", "pledge-mine",
                rds, 1, Map.of(), start, "active", Map.of()));
        EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-rds", "444455556666", "us-east-1", "pledge-theirs",
                "pledge-theirs", rds, 3, Map.of(), start, "active", Map.of()));
        var source = insights.inventory().stream().filter(s -> s.type() == CommitmentType.AWS_RDS).findFirst()
                .orElseThrow();

        List<HeldCommitment> mine = source.list(InsightQuery.inventory(CommitmentType.AWS_RDS, ACCOUNT,
                List.of("us-east-1")));
        List<HeldCommitment> theirs = source.list(InsightQuery.inventory(CommitmentType.AWS_RDS, "444455556666",
                List.of("us-east-1")));

        assertThat(mine).extracting(HeldCommitment::commitmentId).containsExactly("pledge-mine");
        assertThat(theirs).extracting(HeldCommitment::commitmentId).containsExactly("pledge-theirs");
        List<LoggedRequest> requests = sent("DescribeReservedDBInstances");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getHeader("Authorization")).contains("Credential=" + ACCOUNT + "/");
        assertThat(requests.get(1).getHeader("Authorization")).contains("Credential=444455556666/");
    }

    @Test
    void savings_plans_and_ec2_inventory_carry_our_tag_as_the_key() {
        Offering sp = offering("aws-savings-plan", "us-west-2", "EC2Instance", "1y", "all-upfront");
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-savings-plan", ACCOUNT, "us-west-2", "sp-1", "tok",
                sp, 1, Map.of("pledge:item-token", "abc123"), start, "active", Map.of("commitment", "2.5")));
        Offering ec2 = offering("aws-ec2", "eu-west-1", "m5.large", "1y", "no-upfront");
        EMULATOR.state().add(new Commitment(Cloud.AWS, "aws-ec2", ACCOUNT, "eu-west-1", "ri-1", null, ec2, 4,
                Map.of("pledge:item-token", "def456"), start, "active", Map.of()));

        HeldCommitment plan = insights.inventory().stream().filter(s -> s.type() == CommitmentType.AWS_SAVINGS_PLAN)
                .findFirst().orElseThrow().list(InsightQuery.inventory(CommitmentType.AWS_SAVINGS_PLAN, ACCOUNT,
                        List.of())).get(0);
        assertThat(plan.commitmentId()).isEqualTo("sp-1");
        assertThat(plan.key()).isEqualTo("abc123");
        assertThat(plan.offering()).isEqualTo("EC2Instance");
        assertThat(plan.region()).isEqualTo("us-west-2");
        assertThat(plan.hourlyCommitment()).isEqualByComparingTo("2.5");
        assertThat(plan.payment()).isEqualTo(PaymentOption.ALL_UPFRONT);
        assertThat(plan.term()).isEqualTo(Term.ONE_YEAR);
        assertThat(plan.end()).isEqualTo(start.plusSeconds(365L * 86400));
        assertThat(plan.upfront().amount()).isEqualByComparingTo(sp.upfront().multiply(new BigDecimal("2.5")));
        assertThat(plan.attributes()).containsEntry("instanceFamily", "m5".equals(sp.attribute("instanceFamily"))
                ? "m5" : sp.attribute("instanceFamily"));
        assertThat(sent("DescribeSavingsPlans")).hasSize(1);

        HeldCommitment ri = insights.inventory().stream().filter(s -> s.type() == CommitmentType.AWS_EC2)
                .findFirst().orElseThrow().list(InsightQuery.inventory(CommitmentType.AWS_EC2, ACCOUNT,
                        List.of("eu-west-1"))).get(0);
        assertThat(ri.commitmentId()).isEqualTo("ri-1");
        assertThat(ri.key()).isEqualTo("def456");
        assertThat(ri.quantity()).isEqualTo(4);
        assertThat(ri.offering()).isEqualTo("m5.large");
        assertThat(ri.end()).isEqualTo(start.plusSeconds(365L * 86400));
        assertThat(ri.payment()).isEqualTo(PaymentOption.NO_UPFRONT);
        assertThat(ri.active()).isTrue();
    }
}
