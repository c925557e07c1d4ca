package dev.pledge.aws;

import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/** AWS spellings of terms, payments, amounts and regions, read leniently (the read side parses both forms). */
final class AwsTerms {
    /** Cost Explorer has been seen to name regions by their long name; both forms are read. */
    private static final Map<String, String> REGION_NAMES = Map.ofEntries(
            Map.entry("us east (n. virginia)", "us-east-1"), Map.entry("us east (ohio)", "us-east-2"),
            Map.entry("us west (n. california)", "us-west-1"), Map.entry("us west (oregon)", "us-west-2"),
            Map.entry("eu (ireland)", "eu-west-1"), Map.entry("europe (ireland)", "eu-west-1"),
            Map.entry("eu (london)", "eu-west-2"), Map.entry("europe (london)", "eu-west-2"),
            Map.entry("eu (paris)", "eu-west-3"), Map.entry("europe (paris)", "eu-west-3"),
            Map.entry("eu (frankfurt)", "eu-central-1"), Map.entry("europe (frankfurt)", "eu-central-1"),
            Map.entry("eu (stockholm)", "eu-north-1"), Map.entry("europe (stockholm)", "eu-north-1"),
            Map.entry("asia pacific (tokyo)", "ap-northeast-1"), Map.entry("asia pacific (seoul)", "ap-northeast-2"),
            Map.entry("asia pacific (singapore)", "ap-southeast-1"),
            Map.entry("asia pacific (sydney)", "ap-southeast-2"), Map.entry("asia pacific (mumbai)", "ap-south-1"),
            Map.entry("canada (central)", "ca-central-1"), Map.entry("south america (sao paulo)", "sa-east-1"));

    private AwsTerms() {
    }

    static Term term(Long durationSeconds) {
        if (durationSeconds == null) {
            return null;
        }
        long years = Math.round(durationSeconds / (365.0 * 24 * 3600));
        return years == 1 ? Term.ONE_YEAR : years == 3 ? Term.THREE_YEARS : null;
    }

    static PaymentOption payment(String offeringType) {
        if (offeringType == null) {
            return null;
        }
        return switch (offeringType.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ')) {
            case "no upfront" -> PaymentOption.NO_UPFRONT;
            case "partial upfront" -> PaymentOption.PARTIAL_UPFRONT;
            case "all upfront" -> PaymentOption.ALL_UPFRONT;
            default -> null;
        };
    }

    static String termInYears(Term t) {
        return t == Term.THREE_YEARS ? "THREE_YEARS" : "ONE_YEAR";
    }

    static String paymentOption(PaymentOption p) {
        return switch (p == null ? PaymentOption.NO_UPFRONT : p) {
            case PARTIAL_UPFRONT -> "PARTIAL_UPFRONT";
            case ALL_UPFRONT -> "ALL_UPFRONT";
            default -> "NO_UPFRONT";
        };
    }

    /** A decimal from Cost Explorer's strings; null for null or blank; the error names the field. */
    static BigDecimal decimal(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw new dev.pledge.common.insight.InsightException(field + ": '" + value + "' is not a decimal number",
                    null, false, false, e);
        }
    }

    /** A decimal from the SDK's floating-point fields (EC2, RDS prices), by its shortest decimal form. */
    static BigDecimal decimal(Number value) {
        return value == null ? null : new BigDecimal(value.toString());
    }

    static String region(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        return REGION_NAMES.getOrDefault(v.toLowerCase(Locale.ROOT), v);
    }

    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value.trim()).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
