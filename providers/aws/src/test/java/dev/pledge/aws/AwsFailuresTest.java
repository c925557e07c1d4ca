package dev.pledge.aws;

import dev.pledge.common.spi.FailureKind;
import dev.pledge.common.spi.PurchaseException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.net.ConnectException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

/** How SDK failures of a purchase map to what they mean for money. */
class AwsFailuresTest {

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    @Test
    void only_what_surely_never_reached_aws_is_nothing_bought() {
        PurchaseException refused = AwsFailures.purchase("purchase", SdkClientException.create("connect",
                new ConnectException("Connection refused")));
        PurchaseException reset = AwsFailures.purchase("purchase", SdkClientException.create("io",
                new SocketException("Connection reset")));
        PurchaseException timedOut = AwsFailures.purchase("purchase", ApiCallAttemptTimeoutException.create(5000));

        assertThat(refused.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(reset.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        assertThat(timedOut.kind()).isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        assertThat(reset.getMessage()).contains("re-drive with the same token");
    }

    @Test
    void aws_answers_map_by_status_and_throttling_code() {
        assertThat(AwsFailures.purchase("p", service(400, "InvalidParameterValue")).kind())
                .isEqualTo(FailureKind.REJECTED);
        assertThat(AwsFailures.purchase("p", service(400, "Throttling")).kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(AwsFailures.purchase("p", service(503, "RequestLimitExceeded")).kind())
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(AwsFailures.purchase("p", service(500, "InternalFailure")).kind())
                .isEqualTo(FailureKind.OUTCOME_UNKNOWN);
        assertThat(AwsFailures.purchase("p", service(404, "ReservedDBInstancesOfferingNotFound")).cloudCode())
                .isEqualTo("ReservedDBInstancesOfferingNotFound");
    }

    @Test
    void a_failed_offering_lookup_never_reports_a_possible_purchase() {
        assertThat(AwsFailures.beforePurchase("offering", service(500, "InternalFailure")).kind())
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(AwsFailures.beforePurchase("offering", SdkClientException.create("io",
                new SocketException("Connection reset"))).kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(AwsFailures.beforePurchase("offering", service(403, "AccessDenied")).kind())
                .isEqualTo(FailureKind.REJECTED);
        assertThat(AwsFailures.guard("lookup", service(500, "InternalFailure")).kind())
                .isEqualTo(FailureKind.GUARD_UNDECIDED);
    }
}
