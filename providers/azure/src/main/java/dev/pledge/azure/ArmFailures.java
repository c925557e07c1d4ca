package dev.pledge.azure;

import com.azure.core.management.exception.ManagementException;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseException;
import dev.pledge.common.spi.PurchaseRejectedException;
import dev.pledge.common.spi.TransientFailureException;

import java.util.Locale;
import java.util.Set;

/** Maps ARM errors ({@link ManagementException}, by code and status) to the SPI's failure kinds. */
final class ArmFailures {
    /** Codes ARM uses when it refused the call before doing anything, so a retry is safe. */
    private static final Set<String> THROTTLED = Set.of("toomanyrequests", "throttled", "requestthrottled",
            "subscriptionrequeststhrottled", "tenantrequeststhrottled");
    private static final Set<String> CREDENTIALS = Set.of("authorizationfailed", "invalidauthenticationtoken",
            "expiredauthenticationtoken", "linkedauthorizationfailed", "authenticationfailed", "forbidden");

    private ArmFailures() {
    }

    static String code(ManagementException e) {
        return e.getValue() == null || e.getValue().getCode() == null ? "Http" + e.getResponse().getStatusCode()
                : e.getValue().getCode();
    }

    /** A failed PUT other than a conflict (the executor handles 409 itself). */
    static PurchaseException onPurchase(String what, ManagementException e) {
        int status = e.getResponse().getStatusCode();
        String code = code(e);
        String lower = code.toLowerCase(Locale.ROOT);
        if (status == 429 || THROTTLED.contains(lower)) {
            return new TransientFailureException(what + ": Azure throttled the purchase (" + code
                    + "); nothing was bought, retry later", code, e);
        }
        if (status >= 500 || status == 408) {
            return new OutcomeUnknownException(what + ": Azure answered " + status + " " + code
                    + " to the purchase; it may have been bought, re-drive with the same token to let the guard decide",
                    code, e);
        }
        if (status == 401 || status == 403 || CREDENTIALS.contains(lower)) {
            return new PurchaseRejectedException(what + ": Azure refused the credentials (" + code + ": "
                    + message(e) + "); give the account's identity the reservation purchaser role", code, e);
        }
        return new PurchaseRejectedException(what + ": Azure rejected the purchase (" + code + ": " + message(e)
                + "); nothing was bought, fix the request", code, e);
    }

    static PurchaseException onTransport(String what, ArmTransportException e) {
        if (!e.requestSent()) {
            return new TransientFailureException(what + ": could not reach Azure; nothing was sent, retry later", e);
        }
        return new OutcomeUnknownException(what + ": the purchase was sent but no answer came back; it may have been "
                + "bought, re-drive with the same token to let the guard decide", e);
    }

    static GuardUndecidedException onGuard(String what, RuntimeException e) {
        String code = e instanceof ManagementException m ? code(m) : null;
        return new GuardUndecidedException(what + ": the guard could not read the order alias ("
                + (code != null ? code : ArmClient.rootMessage(e)) + "); nothing was bought, retry later", code, e);
    }

    private static String message(ManagementException e) {
        return e.getValue() == null ? "" : String.valueOf(e.getValue().getMessage());
    }
}
