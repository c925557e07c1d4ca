package dev.pledge.gcp;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pledge.common.insight.HeldCommitment;
import dev.pledge.common.insight.InsightException;
import dev.pledge.common.insight.InsightQuery;
import dev.pledge.common.insight.Lookback;
import dev.pledge.common.insight.Money;
import dev.pledge.common.insight.Recommendation;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
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
import java.math.RoundingMode;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * GCP inventory (aggregatedList) and committed-use recommendations (Recommender, HttpJson) with the real clients
 * against the emulator, through a recording proxy: requests sent (path, filter, page tokens) and every field.
 */
class GcpInsightsEmulatorTest {
    private static final String PROJECT = "pledge-demo-1";
    private static Emulator emulator;
    private WireMockServer front;
    private RegionCommitmentsClients compute;
    private RecommenderClients recommender;

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
        front = new WireMockServer(WireMockConfiguration.options().dynamicPort().gzipDisabled(true));
        front.start();
        front.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(emulator.baseUrl().toString())));
        ProviderSettings settings = ProviderSettings.emulator(URI.create(front.baseUrl()));
        compute = new RegionCommitmentsClients(settings);
        recommender = new RecommenderClients(settings);
    }

    @AfterEach
    void stop() {
        compute.close();
        recommender.close();
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

    private static Commitment commitment(String name, String region, String type, String plan, long vcpus,
                                         Instant bought, String status) {
        Offering o = emulator.state().offerings(Cloud.GCP, "gcp-compute", region).stream()
                .filter(x -> x.product().equals(type) && x.term().equals(plan.equals("TWELVE_MONTH") ? "1y" : "3y"))
                .findFirst().orElseThrow();
        return new Commitment(Cloud.GCP, "gcp-compute", PROJECT, region, "1234567" + vcpus, name, o, 1, Map.of(),
                bought, status, Map.of("plan", plan, "vcpus", String.valueOf(vcpus), "memoryMb",
                String.valueOf(vcpus * 4096), "commitmentType", type, "category", "MACHINE", "autoRenew", "true"));
    }

    private static void usage(String region, String type, long vcpus, Map<String, String> attributes) {
        emulator.state().usage().put(List.of(new Usage(Cloud.GCP, "gcp-compute", PROJECT, region, type,
                BigDecimal.valueOf(vcpus), null, attributes)));
    }

    @Test
    void inventory_follows_every_page_of_the_aggregated_list_across_regions() {
        Instant bought = emulator.state().now();
        emulator.state().add(commitment("pledge-a1", "europe-west1", "GENERAL_PURPOSE_N2", "TWELVE_MONTH", 8, bought,
                "ACTIVE"));
        emulator.state().add(commitment("other-b2", "us-central1", "GENERAL_PURPOSE_E2", "THIRTY_SIX_MONTH", 4, bought,
                "ACTIVE"));
        emulator.state().add(commitment("pledge-c3", "us-east1", "GENERAL_PURPOSE", "TWELVE_MONTH", 2, bought,
                "EXPIRED"));

        List<HeldCommitment> held = new GcpInventory(compute, 2).list(InsightQuery.inventory(CommitmentType.GCP_COMPUTE,
                PROJECT, List.of()));

        List<LoggedRequest> pages = sent("/aggregated/commitments");
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).getUrl()).startsWith("/compute/v1/projects/" + PROJECT + "/aggregated/commitments?");
        assertThat(query(pages.get(0), "maxResults")).isEqualTo("2");
        assertThat(query(pages.get(0), "pageToken")).isNull();
        assertThat(query(pages.get(1), "pageToken")).isEqualTo("2");
        assertThat(held).extracting(HeldCommitment::key).containsExactlyInAnyOrder("pledge-a1", null, "pledge-c3");
        HeldCommitment a = held.stream().filter(h -> "pledge-a1".equals(h.key())).findFirst().orElseThrow();
        Instant start = LocalDate.ofInstant(bought, ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        assertThat(a.commitmentId()).isEqualTo("projects/" + PROJECT + "/regions/europe-west1/commitments/pledge-a1");
        assertThat(a.account()).isEqualTo(PROJECT);
        assertThat(a.region()).isEqualTo("europe-west1");
        assertThat(a.offering()).isEqualTo("GENERAL_PURPOSE_N2");
        assertThat(a.quantity()).isEqualTo(1);
        assertThat(a.term()).isEqualTo(Term.ONE_YEAR);
        assertThat(a.payment()).isNull();
        assertThat(a.start()).isEqualTo(start);
        assertThat(a.end()).isEqualTo(start.atZone(ZoneOffset.UTC).plusYears(1).toInstant());
        assertThat(a.state()).isEqualTo("ACTIVE");
        assertThat(a.active()).isTrue();
        assertThat(a.autoRenew()).isTrue();
        assertThat(a.attributes()).containsEntry("vcpus", "8").containsEntry("memoryMb", "32768")
                .containsEntry("category", "MACHINE").containsEntry("plan", "TWELVE_MONTH")
                .containsEntry("numericId", "12345678");
        HeldCommitment b = held.stream().filter(h -> h.key() == null).findFirst().orElseThrow();
        assertThat(b.term()).isEqualTo(Term.THREE_YEARS);
        assertThat(b.region()).isEqualTo("us-central1");
        assertThat(held.stream().filter(h -> "pledge-c3".equals(h.key())).findFirst().orElseThrow().active()).isFalse();
    }

    @Test
    void recommendations_ask_the_committed_use_recommender_of_each_region_for_active_ones_every_page() {
        usage("europe-west1", "GENERAL_PURPOSE_N2", 16, Map.of());
        usage("europe-west1", "GENERAL_PURPOSE_E2", 6, Map.of("plan", "THIRTY_SIX_MONTH", "memoryMbPerVcpu", "8192"));
        usage("europe-west1", "MEMORY_OPTIMIZED", 4, Map.of("operationShape", "perPath"));
        usage("us-east1", "GENERAL_PURPOSE", 2, Map.of());
        emulator.state().add(commitment("pledge-held", "europe-west1", "GENERAL_PURPOSE_N2", "TWELVE_MONTH", 6,
                emulator.state().now(), "ACTIVE"));

        List<Recommendation> recs = new CommittedUseRecommendations(recommender, 2).fetch(new InsightQuery(
                CommitmentType.GCP_COMPUTE, PROJECT, List.of("europe-west1", "us-east1"), Term.ONE_YEAR, null,
                Lookback.THIRTY_DAYS));

        List<LoggedRequest> eu = sent("/locations/europe-west1/recommenders/");
        assertThat(eu).hasSize(2);
        assertThat(eu.get(0).getUrl()).startsWith("/v1/projects/" + PROJECT + "/locations/europe-west1/recommenders/"
                + "google.compute.commitment.UsageCommitmentRecommender/recommendations?");
        assertThat(query(eu.get(0), "filter")).isEqualTo("stateInfo.state = ACTIVE");
        assertThat(query(eu.get(0), "pageSize")).isEqualTo("2");
        assertThat(query(eu.get(1), "pageToken")).isEqualTo("2");
        assertThat(sent("/locations/us-east1/recommenders/")).hasSize(1);

        assertThat(recs).hasSize(4);
        Recommendation n2 = recs.stream().filter(r -> r.offering().equals("GENERAL_PURPOSE_N2")).findFirst().orElseThrow();
        assertThat(n2.type()).isEqualTo(CommitmentType.GCP_COMPUTE);
        assertThat(n2.account()).isEqualTo(PROJECT);
        assertThat(n2.region()).isEqualTo("europe-west1");
        assertThat(n2.quantity()).isEqualTo(1);
        assertThat(n2.term()).isEqualTo(Term.ONE_YEAR);
        assertThat(n2.payment()).isNull();
        assertThat(n2.purchaseAttributes()).containsExactly(Map.entry("memoryMb", "40960"), Map.entry("vcpus", "10"));
        // (0.0206 / 0.63 - 0.0206) x 10 vCPUs x 720 h is the saving over 30 days; a month is 730 h
        BigDecimal onDemand = new BigDecimal("0.0206").divide(new BigDecimal("0.63"), 6, RoundingMode.HALF_UP);
        BigDecimal window = onDemand.subtract(new BigDecimal("0.0206")).multiply(BigDecimal.TEN)
                .multiply(BigDecimal.valueOf(720)).setScale(2, RoundingMode.HALF_UP);
        assertThat(n2.monthlySavings()).isEqualTo(new Money(window.multiply(BigDecimal.valueOf(730))
                .divide(BigDecimal.valueOf(720), 2, RoundingMode.HALF_UP), "USD"));
        assertThat(n2.upfrontCost()).isEqualTo(new Money(BigDecimal.ZERO, "USD"));
        assertThat(n2.cloudRecommendationId()).startsWith("projects/" + PROJECT + "/locations/europe-west1/recommenders/"
                + "google.compute.commitment.UsageCommitmentRecommender/recommendations/");
        assertThat(n2.etag()).startsWith("\"").endsWith("\"");
        assertThat(n2.generatedAt()).isNotNull();
        assertThat(n2.details()).containsEntry("state", "ACTIVE").containsEntry("priority", "P2")
                .containsKeys("description", "costProjection", "recommenderSubtype");
        Recommendation e2 = recs.stream().filter(r -> r.offering().equals("GENERAL_PURPOSE_E2")).findFirst().orElseThrow();
        assertThat(e2.term()).isEqualTo(Term.THREE_YEARS);
        assertThat(e2.purchaseAttributes()).containsEntry("vcpus", "6").containsEntry("memoryMb", "49152");
        Recommendation perPath = recs.stream().filter(r -> r.offering().equals("MEMORY_OPTIMIZED")).findFirst()
                .orElseThrow();
        assertThat(perPath.purchaseAttributes()).containsEntry("vcpus", "4").containsEntry("memoryMb", "16384");
        assertThat(perPath.term()).isEqualTo(Term.ONE_YEAR);
    }

    @Test
    void a_bought_recommendation_is_marked_claimed_then_succeeded_with_its_etag() {
        usage("us-central1", "GENERAL_PURPOSE_N2", 8, Map.of());
        CommittedUseRecommendations source = new CommittedUseRecommendations(recommender);
        Recommendation r = source.fetch(new InsightQuery(CommitmentType.GCP_COMPUTE, PROJECT, List.of("us-central1"),
                Term.ONE_YEAR, null, Lookback.THIRTY_DAYS)).get(0);

        String claimed = source.markClaimed(r, r.etag());
        String succeeded = source.markSucceeded(r, claimed);

        List<LoggedRequest> claims = sent(":markClaimed");
        assertThat(claims).singleElement().satisfies(q -> {
            assertThat(q.getMethod().getName()).isEqualTo("POST");
            assertThat(q.getUrl()).startsWith("/v1/" + r.cloudRecommendationId() + ":markClaimed");
            assertThat(q.getBodyAsString()).contains("\"etag\"").contains(r.etag().replace("\"", "\\\""))
                    .contains("\"stateMetadata\"");
        });
        assertThat(sent(":markSucceeded")).singleElement().satisfies(q -> assertThat(q.getBodyAsString())
                .contains(claimed.replace("\"", "\\\"")));
        assertThat(claimed).isNotEqualTo(r.etag());
        assertThat(succeeded).isNotEqualTo(claimed);
        // no longer ACTIVE: the next refresh does not list it
        assertThat(source.fetch(new InsightQuery(CommitmentType.GCP_COMPUTE, PROJECT, List.of("us-central1"),
                Term.ONE_YEAR, null, Lookback.THIRTY_DAYS))).isEmpty();
        // an old etag is refused: the state changed under it
        assertThatThrownBy(() -> source.markSucceeded(r, r.etag())).isInstanceOfSatisfying(InsightException.class,
                e -> {
                    assertThat(CommittedUseRecommendations.etagConflict(e)).as(e.cloudCode() + " " + e.getMessage()).isTrue();
                    assertThat(e.transientFailure()).isFalse();
                });
    }

    @Test
    void throttled_then_success_and_throttling_that_outlasts_the_retries() {
        usage("us-east1", "GENERAL_PURPOSE", 4, Map.of());
        emulator.client().inject(FaultSpec.of(Cloud.GCP, "gcp-compute", "Recommendations.list", FaultKind.THROTTLE, 1));
        CommittedUseRecommendations source = new CommittedUseRecommendations(recommender);
        InsightQuery q = new InsightQuery(CommitmentType.GCP_COMPUTE, PROJECT, List.of("us-east1"), Term.ONE_YEAR, null,
                Lookback.SEVEN_DAYS);

        assertThat(source.fetch(q)).hasSize(1);
        List<ServeEvent> events = served("/recommendations?");
        assertThat(events).extracting(e -> e.getResponse().getStatus()).containsExactly(429, 200);

        emulator.client().inject(FaultSpec.of(Cloud.GCP, "gcp-compute", "RegionCommitments.aggregatedList",
                FaultKind.THROTTLE, 10));
        assertThatThrownBy(() -> new GcpInventory(compute).list(InsightQuery.inventory(CommitmentType.GCP_COMPUTE,
                PROJECT, List.of()))).isInstanceOfSatisfying(InsightException.class, e -> {
                    assertThat(e.throttled()).isTrue();
                    assertThat(e.getMessage()).contains("aggregatedList of project " + PROJECT);
                });
    }
}
