package dev.pledge.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import dev.pledge.common.insight.InsightException;

import java.util.EnumSet;
import java.util.Set;

/** A failed read of the GCP read side as an {@link InsightException}: throttling and outages are transient. */
final class GcpInsightFailures {
    private static final Set<StatusCode.Code> TRANSIENT = EnumSet.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.INTERNAL, StatusCode.Code.ABORTED,
            StatusCode.Code.RESOURCE_EXHAUSTED);

    private GcpInsightFailures() {
    }

    static InsightException of(String what, RuntimeException e) {
        if (e instanceof ApiException api) {
            StatusCode.Code code = api.getStatusCode().getCode();
            String hint = code == StatusCode.Code.PERMISSION_DENIED ? "; give the project's identity the read "
                    + "permissions in infra (compute.commitments.list, recommender.computeCommitmentUtilization"
                    + "Recommendations.list)" : "";
            return new InsightException(what + ": " + code + " " + api.getMessage() + hint, code.name(),
                    code == StatusCode.Code.RESOURCE_EXHAUSTED, TRANSIENT.contains(code), e);
        }
        return new InsightException(what + ": " + ComputeFailures.rootMessage(e), null, false,
                ComputeFailures.isConnectFailure(e), e);
    }
}
