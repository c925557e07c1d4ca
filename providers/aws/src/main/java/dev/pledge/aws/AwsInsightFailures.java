package dev.pledge.aws;

import dev.pledge.common.insight.InsightException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns an SDK failure of a read (inventory, recommendations) into the SPI's {@link InsightException}. */
final class AwsInsightFailures {
    private AwsInsightFailures() {
    }

    /**
     * Runs a read, and runs it again after a growing pause while the cloud throttles it: the SDK's standard
     * retry strategy does not treat Cost Explorer's {@code LimitExceededException} as throttling (measured:
     * one attempt). Reads buy nothing, so repeating them is safe.
     */
    static <T> T withBackoff(String what, AwsClients clients, java.util.function.Supplier<T> call) {
        int attempts = clients.settings().maxAttempts();
        long pauseMs = clients.settings().usesEmulator() ? 20 : 1000;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                InsightException failure = of(what, e);
                if (!failure.throttled() || attempt >= attempts) {
                    throw failure;
                }
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InsightException(what + " interrupted while backing off", null, true, true, e);
            }
            pauseMs *= 2;
        }
    }

    static InsightException of(String what, SdkException e) {
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            boolean throttled = s.isThrottlingException() || "LimitExceededException".equals(code)
                    || "ThrottlingException".equals(code) || s.statusCode() == 429;
            return new InsightException(what + " failed: HTTP " + s.statusCode() + " " + code + ": "
                    + (s.awsErrorDetails() == null ? s.getMessage() : s.awsErrorDetails().errorMessage()), code,
                    throttled, s.statusCode() >= 500, e);
        }
        boolean transientFailure = e instanceof SdkClientException;
        return new InsightException(what + " failed: " + e.getMessage(), null, false, transientFailure, e);
    }
}
