package dev.pledge.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseRejectedException;
import dev.pledge.common.spi.TransientFailureException;

import java.util.EnumSet;
import java.util.Set;

/** Maps gax {@link ApiException}s from an insert or its operation to the SPI's failure kinds. */
final class ComputeFailures {
    /** Answers that mean Compute looked at the request and refused it: nothing bought. */
    private static final Set<StatusCode.Code> REFUSED = EnumSet.of(StatusCode.Code.INVALID_ARGUMENT,
            StatusCode.Code.FAILED_PRECONDITION, StatusCode.Code.PERMISSION_DENIED, StatusCode.Code.UNAUTHENTICATED,
            StatusCode.Code.NOT_FOUND, StatusCode.Code.OUT_OF_RANGE, StatusCode.Code.UNIMPLEMENTED,
            StatusCode.Code.ALREADY_EXISTS);

    private ComputeFailures() {
    }

    static String code(Throwable e) {
        return e instanceof ApiException a ? a.getStatusCode().getCode().name() : null;
    }

    /**
     * A failed insert or operation (other than ABORTED, which the executor recovers).
     * {@code sentForSure} is false only when the insert itself could not connect.
     */
    static PurchaseException onPurchase(String what, Throwable e) {
        if (isConnectFailure(e)) {
            return new TransientFailureException(what + ": could not reach Compute Engine; nothing was sent, retry later",
                    code(e), e);
        }
        if (e instanceof ApiException api) {
            StatusCode.Code code = api.getStatusCode().getCode();
            if (code == StatusCode.Code.RESOURCE_EXHAUSTED) {
                return new TransientFailureException(what + ": Compute Engine throttled the insert (" + code
                        + "); nothing was bought, retry later", code.name(), e);
            }
            if (REFUSED.contains(code)) {
                return new PurchaseRejectedException(what + ": Compute Engine refused the commitment (" + code + ": "
                        + api.getMessage() + "); nothing was bought, fix the request", code.name(), e);
            }
        }
        return new OutcomeUnknownException(what + ": the insert was sent but did not finish cleanly (" + rootMessage(e)
                + "); it may have been bought, re-drive with the same token to let the guard decide", code(e), e);
    }

    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
