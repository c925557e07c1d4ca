package dev.pledge.common.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.pledge.common.model.PaymentOption.ALL_UPFRONT;
import static dev.pledge.common.model.PaymentOption.MONTHLY;
import static dev.pledge.common.model.PaymentOption.NO_UPFRONT;
import static dev.pledge.common.model.PaymentOption.PARTIAL_UPFRONT;
import static dev.pledge.common.model.PaymentOption.UPFRONT;
import static dev.pledge.common.model.Term.FIVE_YEARS;
import static dev.pledge.common.model.Term.ONE_YEAR;
import static dev.pledge.common.model.Term.THREE_YEARS;

/** Every kind of commitment Pledge can buy, with the terms and payment options its cloud sells. */
public enum CommitmentType {
    AWS_EC2(Cloud.AWS, "aws-ec2", "AWS EC2 Reserved Instance",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT)),
    AWS_SAVINGS_PLAN(Cloud.AWS, "aws-savings-plan", "AWS Savings Plan",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT)),
    AWS_RDS(Cloud.AWS, "aws-rds", "AWS RDS Reserved DB Instance",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT)),
    AWS_ELASTICACHE(Cloud.AWS, "aws-elasticache", "AWS ElastiCache Reserved Cache Node",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT)),
    AWS_MEMORYDB(Cloud.AWS, "aws-memorydb", "AWS MemoryDB Reserved Node",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT)),
    AWS_OPENSEARCH(Cloud.AWS, "aws-opensearch", "AWS OpenSearch Reserved Instance",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT)),
    AWS_REDSHIFT(Cloud.AWS, "aws-redshift", "AWS Redshift Reserved Node",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT)),
    AZURE_RESERVATION(Cloud.AZURE, "azure-reservation", "Azure reservation",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.of(UPFRONT, MONTHLY)),
    AZURE_SAVINGS_PLAN(Cloud.AZURE, "azure-savings-plan", "Azure savings plan",
            EnumSet.of(ONE_YEAR, THREE_YEARS, FIVE_YEARS), EnumSet.of(UPFRONT, MONTHLY)),
    GCP_COMPUTE(Cloud.GCP, "gcp-compute", "GCP Compute Engine committed-use discount",
            EnumSet.of(ONE_YEAR, THREE_YEARS), EnumSet.noneOf(PaymentOption.class));

    private final Cloud cloud;
    private final String slug;
    private final String displayName;
    private final Set<Term> terms;
    private final Set<PaymentOption> payments;

    CommitmentType(Cloud cloud, String slug, String displayName, Set<Term> terms, Set<PaymentOption> payments) {
        this.cloud = cloud;
        this.slug = slug;
        this.displayName = displayName;
        this.terms = Set.copyOf(terms);
        this.payments = Set.copyOf(payments);
    }

    public Cloud cloud() {
        return cloud;
    }

    /** Stable lowercase identifier used by the CLI, the API, the emulator and the database. */
    public String slug() {
        return slug;
    }

    public String displayName() {
        return displayName;
    }

    public Set<Term> terms() {
        return terms;
    }

    /** Payment options this type sells; empty when the type takes a term only (GCP). */
    public Set<PaymentOption> payments() {
        return payments;
    }

    public boolean takesPayment() {
        return !payments.isEmpty();
    }

    /** Terms in declaration order, as slugs, for error messages and help text. */
    public List<String> termSlugs() {
        return Arrays.stream(Term.values()).filter(terms::contains).map(Term::slug).collect(Collectors.toList());
    }

    public List<String> paymentSlugs() {
        return Arrays.stream(PaymentOption.values()).filter(payments::contains).map(PaymentOption::slug)
                .collect(Collectors.toList());
    }

    public static CommitmentType fromSlug(String field, String value) {
        if (value != null) {
            for (CommitmentType t : values()) {
                if (t.slug.equalsIgnoreCase(value.trim())) {
                    return t;
                }
            }
        }
        throw new ValidationException(field, "unknown commitment type '" + value + "'; allowed: " + allSlugs());
    }

    public static String allSlugs() {
        return Arrays.stream(values()).map(CommitmentType::slug).collect(Collectors.joining(", "));
    }

    /** Parses a term for this type; the error lists the terms this type sells. */
    public Term parseTerm(String field, String value) {
        Term t = value == null ? null : Term.fromSlug(value.trim());
        if (t == null || !terms.contains(t)) {
            throw new ValidationException(field, (value == null || value.isBlank() ? "is required" : "'" + value
                    + "' is not sold") + " for " + slug + "; allowed: " + String.join(", ", termSlugs()));
        }
        return t;
    }

    /** Parses a payment option for this type; GCP takes none, and the error says so. */
    public PaymentOption parsePayment(String field, String value) {
        if (!takesPayment()) {
            if (value == null || value.isBlank()) {
                return null;
            }
            throw new ValidationException(field, slug + " takes a term only; leave the payment option out");
        }
        PaymentOption p = value == null ? null : PaymentOption.fromSlug(value.trim());
        if (p == null || !payments.contains(p)) {
            throw new ValidationException(field, (value == null || value.isBlank() ? "is required" : "'" + value
                    + "' is not sold") + " for " + slug + "; allowed: " + String.join(", ", paymentSlugs()));
        }
        return p;
    }

    @Override
    public String toString() {
        return slug;
    }
}
