package dev.pledge.common.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One commitment to buy: what, where, how many, for how long, paid how. Validated on
 * construction; every message names the field at fault. Type-specific attributes (an Azure
 * reserved resource type, a GCP vCPU count, a Savings Plan hourly commitment, ...) are checked
 * by the executor of that type before it sends anything.
 *
 * @param type       what kind of commitment
 * @param account    AWS account id, Azure billing scope / subscription, or GCP project
 * @param region     AWS region, Azure location, or GCP region
 * @param offering   offering id, instance / node type, or SKU, as the type's cloud names it
 * @param quantity   how many (instances, nodes); 1 for plans bought by amount
 * @param term       commitment length, one of {@link CommitmentType#terms()}
 * @param payment    payment option, one of {@link CommitmentType#payments()}; null for GCP
 * @param attributes type-specific attributes, sorted, immutable
 */
public record CommitmentRequest(
        CommitmentType type,
        String account,
        String region,
        String offering,
        int quantity,
        Term term,
        PaymentOption payment,
        Map<String, String> attributes) {

    public static final int MAX_QUANTITY = 10_000;
    public static final int MAX_ATTRIBUTES = 32;
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9/][A-Za-z0-9._:/@-]{0,199}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}", Pattern.CASE_INSENSITIVE);
    private static final Pattern OFFERING = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/+-]{0,255}");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    public CommitmentRequest {
        if (type == null) {
            throw new ValidationException("type", "is required; allowed: " + CommitmentType.allSlugs());
        }
        account = required("account", account, ACCOUNT,
                "must be 1-200 characters: letters, digits and . _ : / @ -, starting with a letter, digit or /");
        region = required("region", region, REGION,
                "must be 1-63 characters: letters, digits and -, e.g. us-east-1, westeurope, europe-west1");
        offering = required("offering", offering, OFFERING,
                "must be 1-256 characters: letters, digits and . _ : / + -");
        if (quantity <= 0) {
            throw new ValidationException("quantity", "must be greater than 0, was " + quantity);
        }
        if (quantity > MAX_QUANTITY) {
            throw new ValidationException("quantity", "must be at most " + MAX_QUANTITY + ", was " + quantity);
        }
        if (term == null || !type.terms().contains(term)) {
            throw new ValidationException("term", (term == null ? "is required" : "'" + term.slug() + "' is not sold")
                    + " for " + type.slug() + "; allowed: " + String.join(", ", type.termSlugs()));
        }
        if (type.takesPayment()) {
            if (payment == null || !type.payments().contains(payment)) {
                throw new ValidationException("payment", (payment == null ? "is required" : "'" + payment.slug()
                        + "' is not sold") + " for " + type.slug() + "; allowed: "
                        + String.join(", ", type.paymentSlugs()));
            }
        } else if (payment != null) {
            throw new ValidationException("payment", type.slug() + " takes a term only; leave the payment option out");
        }
        attributes = copyAttributes(attributes);
    }

    /** Builds a request from the strings a CLI or an API receives; errors name the same fields. */
    public static CommitmentRequest parse(String type, String account, String region, String offering,
                                          int quantity, String term, String payment, Map<String, String> attributes) {
        CommitmentType t = CommitmentType.fromSlug("type", type);
        return new CommitmentRequest(t, account, region, offering, quantity, t.parseTerm("term", term),
                t.parsePayment("payment", payment), attributes);
    }

    /** A type-specific attribute, or null. */
    public String attribute(String key) {
        return attributes.get(key);
    }

    /** A required type-specific attribute; the error names {@code attributes.<key>} and says what it is for. */
    public String requireAttribute(String key, String what) {
        String v = attributes.get(key);
        if (v == null || v.isBlank()) {
            throw new ValidationException("attributes." + key, "is required for " + type.slug() + ": " + what);
        }
        return v;
    }

    private static String required(String field, String value, Pattern pattern, String rule) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, "is required; " + rule);
        }
        String v = value.trim();
        if (!pattern.matcher(v).matches()) {
            throw new ValidationException(field, "'" + abbreviate(v) + "' is not valid; " + rule);
        }
        return v;
    }

    private static Map<String, String> copyAttributes(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new ValidationException("attributes", "at most " + MAX_ATTRIBUTES + " entries, got " + attributes.size());
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            String key = e.getKey();
            if (key == null || !ATTRIBUTE_KEY.matcher(key).matches()) {
                throw new ValidationException("attributes", "key '" + abbreviate(String.valueOf(key))
                        + "' is not valid; keys are 1-64 characters: a letter, then letters, digits and _ . -");
            }
            String value = Objects.requireNonNullElse(e.getValue(), "");
            if (value.length() > 1024 || value.chars().anyMatch(Character::isISOControl)) {
                throw new ValidationException("attributes." + key,
                        "must be at most 1024 characters with no control characters");
            }
            copy.put(key, value);
        }
        return Collections.unmodifiableMap(copy);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
