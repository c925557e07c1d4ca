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
import software.amazon.awssdk.services.rds.model.DescribeReservedDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.PurchaseReservedDbInstancesOfferingResponse;
import software.amazon.awssdk.services.rds.model.ReservedDbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.ReservedDBInstancesOffering;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The emulator speaks RDS's query protocol well enough for the real RDS SDK client. Runs against an
 * embedded emulator, or against a running one when {@code -Dpledge.emulator.url=http://127.0.0.1:4566}
 * is given (the standalone jar check in README.md).
 */
class RdsAgainstEmulatorTest {
    private static Emulator embedded;
    private static URI endpoint;
    private static EmulatorClient control;
    private static RdsClient rds;

    @BeforeAll
    static void start() {
        String external = System.getProperty("pledge.emulator.url");
        if (external == null || external.isBlank()) {
            embedded = Emulator.builder().build().start();
            endpoint = embedded.baseUrl();
        } else {
            endpoint = URI.create(external);
        }
        control = new EmulatorClient(endpoint);
        rds = rdsClient(StaticCredentialsProvider.create(AwsBasicCredentials.create("123456789012", "secret")));
    }

    @AfterAll
    static void stop() {
        rds.close();
        if (embedded != null) {
            embedded.stop();
        }
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    private static RdsClient rdsClient(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return RdsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none())).build();
    }

    private static String offeringId() {
        List<ReservedDBInstancesOffering> offerings = rds.describeReservedDBInstancesOfferings(r -> r
                .dbInstanceClass("db.r6g.large").duration("31536000").offeringType("No Upfront"))
                .reservedDBInstancesOfferings();
        assertThat(offerings).hasSize(1);
        return offerings.get(0).reservedDBInstancesOfferingId();
    }

    @Test
    void a_second_purchase_with_the_same_reserved_db_instance_id_gets_already_exists() {
        String offering = offeringId();

        PurchaseReservedDbInstancesOfferingResponse first = rds.purchaseReservedDBInstancesOffering(r -> r
                .reservedDBInstancesOfferingId(offering).reservedDBInstanceId("pledge-abc0123456789def").dbInstanceCount(2));

        assertThat(first.reservedDBInstance().reservedDBInstanceId()).isEqualTo("pledge-abc0123456789def");
        assertThat(first.reservedDBInstance().dbInstanceCount()).isEqualTo(2);
        assertThat(first.reservedDBInstance().state()).isEqualTo("active");
        assertThatThrownBy(() -> rds.purchaseReservedDBInstancesOffering(r -> r
                .reservedDBInstancesOfferingId(offering).reservedDBInstanceId("pledge-abc0123456789def").dbInstanceCount(2)))
                .isInstanceOfSatisfying(ReservedDbInstanceAlreadyExistsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ReservedDBInstanceAlreadyExists");
                    assertThat(e.statusCode()).isEqualTo(404);
                });
        List<Commitment> held = control.commitments(Cloud.AWS, "aws-rds");
        assertThat(held).hasSize(1);
        assertThat(held.get(0).account()).isEqualTo("123456789012");
        assertThat(held.get(0).key()).isEqualTo("pledge-abc0123456789def");
        assertThat(control.requestCount(Cloud.AWS, "PurchaseReservedDBInstancesOffering")).isEqualTo(2);
    }

    @Test
    void describe_by_id_reflects_the_purchase_and_an_unknown_id_is_not_found() {
        String offering = offeringId();
        rds.purchaseReservedDBInstancesOffering(r -> r.reservedDBInstancesOfferingId(offering)
                .reservedDBInstanceId("pledge-0000111122223333").tags(t -> t.key("pledge:item-token").value("x1")));

        DescribeReservedDbInstancesResponse found = rds.describeReservedDBInstances(r -> r
                .reservedDBInstanceId("pledge-0000111122223333"));

        assertThat(found.reservedDBInstances()).singleElement().satisfies(ri -> {
            assertThat(ri.reservedDBInstancesOfferingId()).isEqualTo(offering);
            assertThat(ri.dbInstanceClass()).isEqualTo("db.r6g.large");
            assertThat(ri.dbInstanceCount()).isEqualTo(1);
        });
        assertThat(control.commitments().get(0).tags()).containsEntry("pledge:item-token", "x1");
        assertThatThrownBy(() -> rds.describeReservedDBInstances(r -> r.reservedDBInstanceId("pledge-missing")))
                .isInstanceOfSatisfying(AwsServiceException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ReservedDBInstanceNotFound"));
    }

    @Test
    void reset_after_commit_buys_and_loses_the_response() {
        String offering = offeringId();
        control.inject(FaultSpec.of(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering",
                FaultKind.RESET_AFTER_COMMIT, 1));

        assertThatThrownBy(() -> rds.purchaseReservedDBInstancesOffering(r -> r
                .reservedDBInstancesOfferingId(offering).reservedDBInstanceId("pledge-lost0000000000000")))
                .isInstanceOf(SdkClientException.class);

        assertThat(control.commitments(Cloud.AWS, "aws-rds")).hasSize(1);
    }

    @Test
    void reset_before_commit_and_injected_errors_buy_nothing() {
        String offering = offeringId();
        control.inject(FaultSpec.of(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering",
                FaultKind.RESET_BEFORE_COMMIT, 1));
        control.inject(FaultSpec.error(Cloud.AWS, "aws-rds", null, 1, 503, null));

        assertThatThrownBy(() -> rds.purchaseReservedDBInstancesOffering(r -> r
                .reservedDBInstancesOfferingId(offering).reservedDBInstanceId("pledge-none000000000000")))
                .isInstanceOf(SdkClientException.class);
        assertThatThrownBy(() -> rds.purchaseReservedDBInstancesOffering(r -> r
                .reservedDBInstancesOfferingId(offering).reservedDBInstanceId("pledge-none000000000000")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                    assertThat(e.statusCode()).isEqualTo(503);
                });

        assertThat(control.commitments()).isEmpty();
        assertThat(control.requestCount(Cloud.AWS, "aws-rds", CallKind.PURCHASE)).isEqualTo(2);
    }

    @Test
    void an_assumed_role_acts_in_the_role_account() {
        StsClient sts = StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("base", "base")))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
        try (StsAssumeRoleCredentialsProvider role = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn("arn:aws:iam::210987654321:role/pledge").roleSessionName("pledge")
                        .externalId("ext-1")).build();
             RdsClient asRole = rdsClient(role)) {
            String offering = offeringId();
            asRole.purchaseReservedDBInstancesOffering(r -> r.reservedDBInstancesOfferingId(offering)
                    .reservedDBInstanceId("pledge-role000000000000"));
        } finally {
            sts.close();
        }

        assertThat(control.commitments()).singleElement()
                .satisfies(c -> assertThat(c.account()).isEqualTo("210987654321"));
    }
}
