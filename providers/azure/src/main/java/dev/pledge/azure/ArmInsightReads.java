package dev.pledge.azure;

import com.azure.core.management.exception.ManagementException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.common.insight.InsightException;
import dev.pledge.common.model.ValidationException;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The read side's ARM calls: every page of a list (ARM's {@code nextLink}; a 204 is an empty list), with the
 * client's retries on 429 (honouring {@code Retry-After}), 5xx and lost connections; what still fails becomes an
 * {@link InsightException} naming the call, with nothing partial returned.
 */
final class ArmInsightReads {
    private ArmInsightReads() {
    }

    /** Every page of a list, as one call within the refresh's limit ({@code calls}). */
    static List<JsonNode> list(dev.pledge.common.insight.InsightCalls calls, ArmClient arm, String what, String path) {
        return calls.call(() -> list(arm, what, path));
    }

    static List<JsonNode> list(ArmClient arm, String what, String path) {
        try {
            return arm.list(path);
        } catch (ManagementException e) {
            int status = e.getResponse().getStatusCode();
            String code = ArmFailures.code(e);
            boolean throttled = status == 429 || code.toLowerCase(Locale.ROOT).contains("throttl")
                    || code.equalsIgnoreCase("TooManyRequests");
            String hint = status == 401 || status == 403 ? "; give the account's identity the read roles in "
                    + "infra (reservations, savings plans, Consumption and Cost Management readers)" : "";
            throw new InsightException(what + ": Azure answered " + status + " " + code + hint, code, throttled,
                    status >= 500 || status == 408, e);
        } catch (ArmTransportException e) {
            throw new InsightException(what + ": no answer from Azure (" + ArmClient.rootMessage(e) + ")", null, false,
                    true, e);
        }
    }

    /** The billing scope an account names ({@code /subscriptions/<guid>} or a billing account / profile id). */
    static String scope(String account) {
        try {
            return AliasAttributes.billingScopeId(account);
        } catch (ValidationException e) {
            throw new InsightException(e.getMessage(), "InvalidAccount", false, false, e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON number or numeric string as a decimal; null when absent or not a number. */
    static BigDecimal decimal(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        try {
            return new BigDecimal(n.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An ISO date-time or date ({@code 2026-01-31}) as an instant; null when absent or unreadable. */
    static Instant instant(JsonNode n) {
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            return null;
        }
        String t = n.asText().trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException notInstant) {
                try {
                    return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
