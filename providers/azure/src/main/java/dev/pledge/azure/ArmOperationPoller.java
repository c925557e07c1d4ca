package dev.pledge.azure;

import com.azure.core.management.exception.ManagementException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.common.spi.OutcomeUnknownException;
import dev.pledge.common.spi.PurchaseRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Follows an ARM long-running PUT to its end: {@code Azure-AsyncOperation} for the status when
 * present, then {@code Location} (or the resource itself) for the result. Polls every
 * {@code interval} (longer if ARM asks with {@code Retry-After}) until {@code timeout}; running
 * out of time is {@link Unfinished}, never a failure, because the order may still complete (the
 * executor then reads the alias: an order in progress is a confirming outcome).
 */
final class ArmOperationPoller {
    private static final Logger log = LoggerFactory.getLogger(ArmOperationPoller.class);

    private final Duration interval;
    private final Duration timeout;

    ArmOperationPoller(Duration interval, Duration timeout) {
        this.interval = interval;
        this.timeout = timeout;
    }

    /** The final resource of an accepted PUT of {@code resourcePath}. */
    JsonNode awaitResult(ArmClient arm, ArmClient.ArmResponse accepted, String resourcePath, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String asyncOperation = accepted.header("Azure-AsyncOperation");
        String location = accepted.header("Location");
        if (asyncOperation == null && location == null && terminal(accepted.body())) {
            return finished(accepted.body(), what);
        }
        Duration delay = retryAfter(accepted);
        if (asyncOperation != null) {
            while (true) {
                JsonNode status = poll(arm, asyncOperation, deadline, delay, what);
                delay = interval;
                if (status == null) {
                    continue;
                }
                String s = status.path("status").asText("").toLowerCase(Locale.ROOT);
                if (s.equals("succeeded")) {
                    break;
                }
                if (s.equals("failed") || s.equals("canceled") || s.equals("cancelled")) {
                    throw failed(status, what);
                }
            }
            return location != null ? result(arm, location, deadline, what) : resource(arm, resourcePath, deadline, what);
        }
        if (location != null) {
            return result(arm, location, deadline, what);
        }
        return resource(arm, resourcePath, deadline, what);
    }

    /** Polls the Location URL: 202 while running, then the resource. */
    private JsonNode result(ArmClient arm, String location, long deadline, String what) {
        Duration delay = Duration.ZERO;
        while (true) {
            ArmClient.ArmResponse r = pollResponse(arm, location, deadline, delay, what);
            delay = interval;
            if (r != null && r.status() != 202) {
                return finished(r.body(), what);
            }
        }
    }

    /** Polls the resource itself until its provisioningState is terminal. */
    private JsonNode resource(ArmClient arm, String resourcePath, long deadline, String what) {
        Duration delay = Duration.ZERO;
        while (true) {
            JsonNode r = poll(arm, resourcePath, deadline, delay, what);
            delay = interval;
            if (r != null && terminal(r)) {
                return finished(r, what);
            }
        }
    }

    private JsonNode poll(ArmClient arm, String url, long deadline, Duration delay, String what) {
        ArmClient.ArmResponse r = pollResponse(arm, url, deadline, delay, what);
        return r == null ? null : r.body();
    }

    /** One poll after {@code delay}; null when the poll itself failed in a way worth retrying. */
    private ArmClient.ArmResponse pollResponse(ArmClient arm, String url, long deadline, Duration delay, String what) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new Unfinished(what + ": the order was accepted but had not finished after " + timeout
                    + "; it may still complete, re-drive with the same token to let the guard decide", null, null);
        }
        if (!delay.isZero()) {
            try {
                Thread.sleep(Math.max(1, Math.min(delay.toMillis(), remaining / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutcomeUnknownException(what + ": interrupted while waiting for the order; it may have been "
                        + "bought, re-drive with the same token", e);
            }
        }
        try {
            return arm.getWithRetries(url);
        } catch (ManagementException e) {
            if (e.getResponse().getStatusCode() >= 500 || e.getResponse().getStatusCode() == 429) {
                log.debug("{}: poll failed, will poll again: {}", what, e.getMessage());
                return null;
            }
            throw new Unfinished(what + ": the order was accepted but its status could not be read ("
                    + ArmFailures.code(e) + "); re-drive with the same token to let the guard decide",
                    ArmFailures.code(e), e);
        } catch (ArmTransportException e) {
            log.debug("{}: poll failed, will poll again: {}", what, e.getMessage());
            return null;
        }
    }

    /**
     * The order was accepted and the poller could not see it finish (out of time, or its status could not
     * be read): the executor reads the alias to tell a confirming order from an unknown outcome.
     */
    static final class Unfinished extends OutcomeUnknownException {
        private static final long serialVersionUID = 1L;

        Unfinished(String message, String code, Throwable cause) {
            super(message, code, cause);
        }
    }

    private static boolean terminal(JsonNode resource) {
        String s = resource.path("properties").path("provisioningState").asText("").toLowerCase(Locale.ROOT);
        return s.equals("succeeded") || s.equals("failed") || s.equals("cancelled") || s.equals("canceled");
    }

    private static JsonNode finished(JsonNode resource, String what) {
        String s = resource.path("properties").path("provisioningState").asText("").toLowerCase(Locale.ROOT);
        if (s.equals("failed") || s.equals("cancelled") || s.equals("canceled")) {
            throw failed(resource, what);
        }
        return resource;
    }

    private static PurchaseRejectedException failed(JsonNode status, String what) {
        JsonNode error = status.has("error") ? status.get("error") : status.path("properties").path("error");
        String code = error.path("code").asText("OperationFailed");
        return new PurchaseRejectedException(what + ": Azure ended the order without buying (" + code + ": "
                + error.path("message").asText("no message") + ")", code, null);
    }

    private Duration retryAfter(ArmClient.ArmResponse r) {
        return Optional.ofNullable(r.header("Retry-After")).map(v -> {
            try {
                Duration asked = Duration.ofSeconds(Long.parseLong(v.trim()));
                return asked.compareTo(interval) > 0 ? asked : interval;
            } catch (NumberFormatException e) {
                return interval;
            }
        }).orElse(interval);
    }
}
