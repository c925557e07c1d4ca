package dev.pledge.emulator;

import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ReservedDbInstanceAlreadyExistsException;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault shapes the multi-event sequences need, each driven through a real SDK client or plain HTTP,
 * checking what the emulated cloud holds afterwards.
 */
class FaultShapesTest {
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=123456789012/20261123/us-east-1/%s/aws4_request,"
            + " SignedHeaders=host, Signature=0";
    private static final String RDS_PURCHASE = "PurchaseReservedDBInstancesOffering";
    private static Emulator emulator;
    private static EmulatorClient control;
    private static RdsClient rds;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().build().start();
        control = emulator.client();
        rds = RdsClient.builder().endpointOverride(emulator.baseUrl()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("123456789012", "s")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none())).build();
    }

    @AfterAll
    static void stop() {
        rds.close();
        emulator.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    // ---- commit-then-throttle ----

    @Test
    void commit_then_throttle_buys_loses_the_answer_and_throttles_the_next_calls_of_that_operation() {
        String offering = rdsOffering().offeringId();
        control.inject(FaultSpec.commitThenThrottle(Cloud.AWS, "aws-rds", RDS_PURCHASE, 2));

        assertThatThrownBy(() -> buyRds(offering, "pledge-ctt-1")).isInstanceOf(SdkClientException.class);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> buyRds(offering, "pledge-ctt-1")).isInstanceOfSatisfying(AwsServiceException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling"));
        }
        // the lookups were never throttled: the cloud shows what the lost answer bought
        assertThat(rds.describeReservedDBInstances(r -> r.reservedDBInstanceId("pledge-ctt-1")).reservedDBInstances())
                .hasSize(1);
        assertThatThrownBy(() -> buyRds(offering, "pledge-ctt-1"))
                .isInstanceOf(ReservedDbInstanceAlreadyExistsException.class);
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).singleElement()
                .satisfies(c -> assertThat(c.key()).isEqualTo("pledge-ctt-1"));
        assertThat(control.requestCount(Cloud.AWS, RDS_PURCHASE)).isEqualTo(4);
        assertThat(control.faults()).isEmpty();
    }

    @Test
    void commit_then_throttle_over_http_is_listed_as_a_throttle_once_it_has_committed() throws Exception {
        HttpResponse<String> armed = control("POST", "/__pledge/faults", """
                {"cloud":"aws","type":"aws-rds","operation":"%s","fault":"commit-then-throttle","times":3}"""
                .formatted(RDS_PURCHASE));
        assertThat(armed.statusCode()).isEqualTo(201);
        assertThat(armed.body()).contains("commit-then-throttle");

        assertThatThrownBy(() -> buyRds(rdsOffering().offeringId(), "pledge-ctt-2")).isInstanceOf(SdkClientException.class);

        assertThat(control.faults()).singleElement().satisfies(f -> {
            assertThat(f.fault()).isEqualTo(FaultKind.THROTTLE);
            assertThat(f.times()).isEqualTo(3);
            assertThat(f.operation()).isEqualTo(RDS_PURCHASE);
        });
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(1);
    }

    // ---- tag failures ----

    @Test
    void tag_failures_fail_the_next_n_tag_calls_then_tagging_works_and_purchases_are_untouched() {
        Offering m5 = control.offerings(Cloud.AWS, "aws-ec2", "us-east-1").stream()
                .filter(o -> o.product().equals("m5.large") && o.term().equals("1y")).findFirst().orElseThrow();
        control.inject(FaultSpec.tagFailures(Cloud.AWS, "aws-ec2", 2));

        HttpResponse<String> bought = ec2("Action=PurchaseReservedInstancesOffering&Version=2016-11-15"
                + "&ReservedInstancesOfferingId=" + m5.offeringId() + "&InstanceCount=1");
        assertThat(bought.statusCode()).isEqualTo(200);
        String id = control.commitments(Cloud.AWS, "aws-ec2").get(0).id();
        String tag = "Action=CreateTags&Version=2016-11-15&ResourceId.1=" + id
                + "&Tag.1.Key=pledge%3Aitem-token&Tag.1.Value=t1";

        assertThat(ec2(tag).statusCode()).isEqualTo(500);
        assertThat(ec2(tag).statusCode()).isEqualTo(500);
        assertThat(control.commitments(Cloud.AWS, "aws-ec2").get(0).tags()).isEmpty();
        assertThat(ec2(tag).statusCode()).isEqualTo(200);
        assertThat(control.commitments(Cloud.AWS, "aws-ec2")).singleElement()
                .satisfies(c -> assertThat(c.tags()).containsEntry("pledge:item-token", "t1"));
    }

    @Test
    void a_fault_scoped_to_call_kinds_is_refused_with_a_message_naming_the_field_when_the_kind_is_unknown()
            throws Exception {
        HttpResponse<String> bad = control("POST", "/__pledge/faults",
                "{\"cloud\":\"aws\",\"fault\":\"error\",\"callKinds\":[\"TAGS\"]}");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("callKinds: unknown 'TAGS'");
        assertThat(control.faults()).isEmpty();
    }

    // ---- refused lookups ----

    @Test
    void refused_lookups_answer_access_denied_to_describes_for_n_calls_and_leave_purchases_alone() {
        String offering = rdsOffering().offeringId();
        control.inject(FaultSpec.refusedLookups(Cloud.AWS, "aws-rds", 2));

        assertThatThrownBy(() -> rds.describeReservedDBInstances(r -> r.reservedDBInstanceId("pledge-ref-1")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        buyRds(offering, "pledge-ref-1");
        assertThatThrownBy(() -> rds.describeReservedDBInstancesOfferings(r -> r.dbInstanceClass("db.r6g.large")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThat(rds.describeReservedDBInstances(r -> r.reservedDBInstanceId("pledge-ref-1")).reservedDBInstances())
                .hasSize(1);
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(1);
    }

    @Test
    void refused_lookups_answer_in_each_clouds_own_shape() {
        control.inject(FaultSpec.refusedLookups(Cloud.AZURE, "azure-reservation", 1));
        control.inject(FaultSpec.refusedLookups(Cloud.GCP, "gcp-compute", 1));
        control.inject(FaultSpec.refusedLookups(Cloud.AWS, "aws-ec2", 1));

        HttpResponse<String> azure = send(HttpRequest.newBuilder(emulator.baseUrl().resolve(
                        "/providers/Microsoft.BillingBenefits/reservationOrderAliases/pledge-x?api-version=2022-11-01"))
                .header("Authorization", "Bearer emulator").GET().build());
        HttpResponse<String> gcp = send(HttpRequest.newBuilder(emulator.baseUrl().resolve(
                "/compute/v1/projects/pledge-demo-project/regions/europe-west1/commitments/pledge-x")).GET().build());
        HttpResponse<String> ec2 = ec2("Action=DescribeReservedInstances&Version=2016-11-15");

        assertThat(azure.statusCode()).isEqualTo(403);
        assertThat(azure.body()).contains("AuthorizationFailed");
        assertThat(gcp.statusCode()).isEqualTo(403);
        assertThat(gcp.body()).contains("\"reason\" : \"forbidden\"");
        assertThat(ec2.statusCode()).isEqualTo(403);
        assertThat(ec2.body()).contains("UnauthorizedOperation");
        assertThat(control.faults()).isEmpty();
        assertThat(control.commitments()).isEmpty();
    }

    // ---- payment pending, then active or failed ----

    @Test
    void an_aws_reservation_stays_payment_pending_for_its_offerings_time_then_is_active() {
        Offering o = withAttributes(rdsOffering(), Map.of("provisioningMs", "3600000"));
        buyRds(o.offeringId(), "pledge-pay-1");

        assertThat(rdsState("pledge-pay-1")).isEqualTo("payment-pending");
        control.advanceClock(Duration.ofMinutes(59));
        assertThat(rdsState("pledge-pay-1")).isEqualTo("payment-pending");
        control.advanceClock(Duration.ofMinutes(1));
        assertThat(rdsState("pledge-pay-1")).isEqualTo("active");
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("active"));
    }

    @Test
    void an_aws_reservation_whose_offering_fails_payment_moves_from_payment_pending_to_payment_failed() {
        Offering o = withAttributes(rdsOffering(), Map.of("provisioningMs", "60000", "provisioningOutcome", "fail"));
        buyRds(o.offeringId(), "pledge-pay-2");

        assertThat(rdsState("pledge-pay-2")).isEqualTo("payment-pending");
        control.advanceClock(Duration.ofMinutes(1));
        assertThat(rdsState("pledge-pay-2")).isEqualTo("payment-failed");
        assertThat(control.commitments(Cloud.AWS, "aws-rds")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("payment-failed"));
    }

    @Test
    void the_clock_route_reports_and_advances_the_emulators_time_and_a_reset_puts_it_back() throws Exception {
        HttpResponse<String> advanced = control("POST", "/__pledge/clock", "{\"advanceMs\":90000}");
        assertThat(advanced.statusCode()).isEqualTo(200);
        assertThat(advanced.body()).contains("\"offsetMs\" : 90000");
        assertThat(control("POST", "/__pledge/clock", "{}").body()).contains("advanceMs (0 or more: moves the emulator's time) or advanceDays");

        control.reset();

        assertThat(control("GET", "/__pledge/clock", null).body()).contains("\"offsetMs\" : 0");
    }

    // ---- plumbing ----

    private static Offering rdsOffering() {
        return control.offerings(Cloud.AWS, "aws-rds", "us-east-1").stream()
                .filter(o -> o.product().equals("db.r6g.large") && o.term().equals("1y") && "no-upfront".equals(o.payment()))
                .findFirst().orElseThrow();
    }

    private static Offering withAttributes(Offering o, Map<String, String> more) {
        Map<String, String> attributes = new LinkedHashMap<>(o.attributes());
        attributes.putAll(more);
        Offering changed = new Offering(o.cloud(), o.type(), o.region(), o.offeringId(), o.product(), o.term(),
                o.payment(), o.description(), o.currency(), o.upfront(), o.hourly(), attributes);
        control.addOffering(changed);
        return changed;
    }

    private static void buyRds(String offering, String id) {
        rds.purchaseReservedDBInstancesOffering(r -> r.reservedDBInstancesOfferingId(offering).reservedDBInstanceId(id)
                .dbInstanceCount(1));
    }

    private static String rdsState(String id) {
        return rds.describeReservedDBInstances(r -> r.reservedDBInstanceId(id)).reservedDBInstances().get(0).state();
    }

    private HttpResponse<String> ec2(String form) {
        return send(HttpRequest.newBuilder(emulator.baseUrl().resolve("/"))
                .header("Authorization", AUTH.formatted("ec2"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private HttpResponse<String> control(String method, String path, String body) {
        return send(HttpRequest.newBuilder(emulator.baseUrl().resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
