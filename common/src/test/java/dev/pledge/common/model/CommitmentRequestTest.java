package dev.pledge.common.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitmentRequestTest {

    @Test
    void every_type_has_its_cloud_and_its_stable_slug() {
        assertThat(CommitmentType.values()).extracting(CommitmentType::slug).containsExactly(
                "aws-ec2", "aws-savings-plan", "aws-rds", "aws-elasticache", "aws-memorydb", "aws-opensearch",
                "aws-redshift", "azure-reservation", "azure-savings-plan", "gcp-compute");
        assertThat(CommitmentType.AZURE_SAVINGS_PLAN.cloud()).isEqualTo(Cloud.AZURE);
        assertThat(CommitmentType.GCP_COMPUTE.cloud()).isEqualTo(Cloud.GCP);
        assertThat(CommitmentType.fromSlug("type", "AWS-RDS")).isEqualTo(CommitmentType.AWS_RDS);
    }

    @Test
    void a_valid_request_parses_and_keeps_sorted_immutable_attributes() {
        Map<String, String> attrs = new HashMap<>();
        attrs.put("zone", "a");
        attrs.put("engine", "postgres");
        CommitmentRequest r = CommitmentRequest.parse("aws-rds", "123456789012", "us-east-1", "db.r6g.large", 2,
                "3y", "partial-upfront", attrs);

        assertThat(r.term()).isEqualTo(Term.THREE_YEARS);
        assertThat(r.payment()).isEqualTo(PaymentOption.PARTIAL_UPFRONT);
        assertThat(r.attributes().keySet()).containsExactly("engine", "zone");
        attrs.put("later", "x");
        assertThat(r.attributes()).doesNotContainKey("later");
    }

    @Test
    void gcp_takes_a_term_only() {
        CommitmentRequest r = CommitmentRequest.parse("gcp-compute", "my-project", "europe-west1", "GENERAL_PURPOSE",
                1, "1y", null, Map.of());
        assertThat(r.payment()).isNull();
        assertThatThrownBy(() -> CommitmentRequest.parse("gcp-compute", "my-project", "europe-west1",
                "GENERAL_PURPOSE", 1, "1y", "monthly", Map.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("payment");
                    assertThat(e.getMessage()).contains("term only");
                });
    }

    @ParameterizedTest(name = "{0}={1}: {2}")
    @CsvSource(nullValues = "NULL", delimiter = '|', value = {
            "type     | aws-rdx        | allowed: aws-ec2, aws-savings-plan",
            "type     | NULL           | unknown commitment type",
            "account  | ''             | is required",
            "account  | 'a b'          | is not valid",
            "region   | us east        | is not valid",
            "offering | NULL           | is required",
            "quantity | 0              | must be greater than 0",
            "quantity | -3             | must be greater than 0",
            "quantity | 10001          | at most 10000",
            "term     | 5y             | allowed: 1y, 3y",
            "term     | NULL           | is required",
            "payment  | monthly        | allowed: no-upfront, partial-upfront, all-upfront",
            "payment  | NULL           | is required",
    })
    void bad_input_names_the_field_and_lists_what_is_allowed(String field, String value, String message) {
        Map<String, String> f = new HashMap<>(Map.of("type", "aws-rds", "account", "123456789012",
                "region", "us-east-1", "offering", "db.r6g.large", "quantity", "1", "term", "1y",
                "payment", "all-upfront"));
        f.put(field, value);

        assertThatThrownBy(() -> CommitmentRequest.parse(f.get("type"), f.get("account"), f.get("region"),
                f.get("offering"), Integer.parseInt(f.get("quantity")), f.get("term"), f.get("payment"), Map.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void azure_savings_plans_sell_five_years_and_azure_payments() {
        CommitmentRequest r = CommitmentRequest.parse("azure-savings-plan", "/providers/Microsoft.Billing/x",
                "westeurope", "Compute_Savings_Plan", 1, "5y", "monthly", Map.of());
        assertThat(r.term()).isEqualTo(Term.FIVE_YEARS);
        assertThatThrownBy(() -> CommitmentRequest.parse("azure-reservation", "sub-1", "westeurope",
                "Standard_D2s_v5", 1, "1y", "all-upfront", Map.of()))
                .hasMessageContaining("allowed: upfront, monthly");
    }

    @Test
    void attribute_keys_and_values_are_bounded() {
        assertThatThrownBy(() -> new CommitmentRequest(CommitmentType.AWS_EC2, "1", "us-east-1", "o", 1,
                Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("bad key", "v")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("attributes"));
        assertThatThrownBy(() -> new CommitmentRequest(CommitmentType.AWS_EC2, "1", "us-east-1", "o", 1,
                Term.ONE_YEAR, PaymentOption.NO_UPFRONT, Map.of("k", "x".repeat(1025))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("attributes.k"));
    }
}
