package dev.pledge.aws;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.PaymentOption;
import dev.pledge.common.model.Term;

import java.util.Map;

/** A valid request per AWS type that the emulator's seeded catalog sells. */
final class SampleRequests {
    private SampleRequests() {
    }

    static CommitmentRequest of(CommitmentType type) {
        return switch (type) {
            case AWS_EC2 -> request(type, "m5.large", Map.of());
            case AWS_SAVINGS_PLAN -> request(type, "Compute", Map.of("hourlyCommitment", "1.25"));
            case AWS_RDS -> request(type, "db.m5.large", Map.of());
            case AWS_ELASTICACHE -> request(type, "cache.m5.large", Map.of());
            case AWS_MEMORYDB -> request(type, "db.r6g.xlarge", Map.of());
            case AWS_OPENSEARCH -> request(type, "m6g.large.search", Map.of());
            case AWS_REDSHIFT -> request(type, "dc2.large", Map.of());
            default -> throw new IllegalArgumentException("not an AWS type: " + type);
        };
    }

    private static CommitmentRequest request(CommitmentType type, String product, Map<String, String> attributes) {
        return new CommitmentRequest(type, "123456789012", "us-west-2", product, 1, Term.THREE_YEARS,
                PaymentOption.ALL_UPFRONT, attributes);
    }
}
