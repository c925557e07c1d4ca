package dev.pledge.aws;

import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseRejectedException;
import dev.pledge.common.spi.TransientFailureException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Maps SDK exceptions to the common failure kinds. The rule for purchases: only what surely never
 * reached the cloud (refused connection, throttling, a 4xx refusal) is "nothing bought"; a reset,
 * a timeout or a 5xx after the request went out is an unknown outcome, settled by a re-drive.
 */
final class AwsFailures {
    private AwsFailures() {
    }

    static String code(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return null;
    }

    static boolean hasCode(SdkException e, String code) {
        return code.equals(code(e));
    }

    /** A failure of the purchase call itself. */
    static PurchaseException purchase(String what, SdkException e) {
        String code = code(e);
        if (e instanceof AwsServiceException a) {
            if (a.isThrottlingException()) {
                return new TransientFailureException(what + " was throttled (" + code + "); nothing was bought,"
                        + " retry later", code, e);
            }
            if (a.statusCode() >= 500) {
                return new OutcomeUnknownException(what + " failed with HTTP " + a.statusCode() + " " + code
                        + "; it may have been bought: re-drive with the same token and the guard decides", code, e);
            }
            return new PurchaseRejectedException(what + " was refused by AWS: " + code + ": " + message(a)
                    + " (HTTP " + a.statusCode() + "); nothing was bought", code, e);
        }
        if (neverSent(e)) {
            return new TransientFailureException(what + " could not connect (" + rootCause(e)
                    + "); nothing was bought, retry later", null, e);
        }
        return new OutcomeUnknownException(what + " got no answer (" + rootCause(e) + "); it may have been bought:"
                + " re-drive with the same token and the guard decides", null, e);
    }

    /** A failure before the purchase was sent (offering lookup): never bought anything. */
    static PurchaseException beforePurchase(String what, SdkException e) {
        String code = code(e);
        if (e instanceof AwsServiceException a && !a.isThrottlingException() && a.statusCode() < 500) {
            return new PurchaseRejectedException(what + " was refused by AWS: " + code + ": " + message(a)
                    + "; nothing was bought", code, e);
        }
        return new TransientFailureException(what + " failed (" + (code != null ? code : rootCause(e))
                + "); nothing was bought, retry later", code, e);
    }

    /** The guard's lookup failed: refuse to buy blind. */
    static GuardUndecidedException guard(String what, SdkException e) {
        String code = code(e);
        return new GuardUndecidedException(what + " failed (" + (code != null ? code : rootCause(e))
                + "), so whether this item is already bought is unknown; no purchase was sent, retry later", code, e);
    }

    static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t.getClass().getName().endsWith("ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static String message(AwsServiceException a) {
        return a.awsErrorDetails() != null && a.awsErrorDetails().errorMessage() != null
                ? a.awsErrorDetails().errorMessage() : a.getMessage();
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
