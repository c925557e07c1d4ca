package dev.pledge.infra.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.infra.InfraFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cloud roles in infra/aws, infra/azure and infra/gcp against the operations the executors
 * actually invoked during their modules' test suites (recorded under providers/X/target/): every
 * invoked operation is allowed, every granted permission was used, and removing any one granted
 * permission makes the check fail.
 */
class CloudPermissionsTest {

    enum Cloud {
        AWS(new AwsIamActions(), "aws", "aws-operations.txt", "aws/pledge-purchaser-policy.json"),
        AZURE(new AzureRbacActions(), "azure", "azure-requests.txt", "azure/pledge-purchaser-role.json"),
        GCP(new GcpIamPermissions(), "gcp", "gcp-requests.txt", "gcp/pledge-purchaser-role.yaml");

        final CloudPermissions permissions;
        final String module;
        final String recording;
        final String policyFile;

        Cloud(CloudPermissions permissions, String module, String recording, String policyFile) {
            this.permissions = permissions;
            this.module = module;
            this.recording = recording;
            this.policyFile = policyFile;
        }

        String policy() {
            return InfraFiles.read(InfraFiles.infraDir().resolve(policyFile));
        }

        Set<String> recorded() {
            return RecordedOperations.read(module, recording);
        }

        PermissionCrossCheck.Result check(String policyText) {
            return PermissionCrossCheck.compare(permissions, recorded(), policyText);
        }
    }

    @ParameterizedTest
    @EnumSource(Cloud.class)
    void the_policy_allows_exactly_what_the_executors_invoke(Cloud cloud) {
        PermissionCrossCheck.Result result = cloud.check(cloud.policy());
        assertThat(result.problems(cloud.module, cloud.policyFile)).isEmpty();
        assertThat(result.needed()).isNotEmpty();
    }

    static Stream<Arguments> everyGrantedPermission() {
        return Stream.of(Cloud.values()).flatMap(c -> c.permissions.granted(c.policy()).stream()
                .map(p -> Arguments.of(c, p)));
    }

    /** A deliberately trimmed policy: each permission in turn is removed, and the check must name it. */
    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("everyGrantedPermission")
    void a_policy_missing_a_permission_an_executor_needs_fails_the_check(Cloud cloud, String permission) {
        String trimmed = cloud.permissions.withoutPermission(cloud.policy(), permission);
        assertThat(cloud.permissions.granted(trimmed)).doesNotContain(permission);

        PermissionCrossCheck.Result result = cloud.check(trimmed);

        assertThat(result.passes()).isFalse();
        assertThat(result.notGranted()).contains(permission);
        assertThat(result.problems(cloud.module, cloud.policyFile))
                .anySatisfy(p -> assertThat(p).contains("does not allow " + permission));
    }

    @ParameterizedTest
    @EnumSource(Cloud.class)
    void a_permission_no_executor_uses_fails_the_check(Cloud cloud) {
        String unused = switch (cloud) {
            case AWS -> "ec2:TerminateInstances";
            case AZURE -> "Microsoft.Capacity/reservationOrders/return/action";
            case GCP -> "compute.instances.delete";
        };
        PermissionCrossCheck.Result result = PermissionCrossCheck.compare(cloud.permissions, cloud.recorded(),
                withExtra(cloud, unused));
        assertThat(result.unused()).containsExactly(unused);
    }

    @Test
    void the_checker_reports_a_synthetic_purchase_the_trimmed_policy_lacks_even_without_recordings() {
        AwsIamActions aws = new AwsIamActions();
        String policy = """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": ["ec2:DescribeReservedInstances", "ec2:CreateTags"], "Resource": "*"}]}
                """;
        PermissionCrossCheck.Result result = PermissionCrossCheck.compare(aws,
                Set.of("Ec2:DescribeReservedInstances", "Ec2:PurchaseReservedInstancesOffering", "Ec2:CreateTags"),
                policy);
        assertThat(result.notGranted()).containsExactly("ec2:PurchaseReservedInstancesOffering");
        assertThat(result.unused()).isEmpty();
    }

    @Test
    void an_operation_the_mapping_does_not_know_fails_the_check() {
        PermissionCrossCheck.Result result = PermissionCrossCheck.compare(new GcpIamPermissions(),
                Set.of("GET /storage/v1/b/bucket"), "includedPermissions: [compute.commitments.get]\n");
        assertThat(result.unmapped()).containsExactly("GET /storage/v1/b/bucket");
        assertThat(result.passes()).isFalse();
    }

    @Test
    void recorded_operations_map_to_the_clouds_permission_names() {
        AwsIamActions aws = new AwsIamActions();
        assertThat(aws.permissionsFor("Ec2:PurchaseReservedInstancesOffering")).containsExactly("ec2:PurchaseReservedInstancesOffering");
        assertThat(aws.permissionsFor("OpenSearch:PurchaseReservedInstanceOffering")).containsExactly("es:PurchaseReservedInstanceOffering");
        assertThat(aws.permissionsFor("MemoryDb:DescribeReservedNodes")).containsExactly("memorydb:DescribeReservedNodes");
        assertThat(aws.permissionsFor("Sts:AssumeRole")).containsExactly("sts:AssumeRole");
        assertThat(aws.permissionsFor("Lambda:Invoke")).isEmpty();
        assertThat(aws.permissionsFor("Rds:PurchaseReservedDBInstancesOffering+Tags"))
                .containsExactlyInAnyOrder("rds:PurchaseReservedDBInstancesOffering", "rds:AddTagsToResource");
        assertThat(aws.permissionsFor("Savingsplans:CreateSavingsPlan+Tags"))
                .containsExactlyInAnyOrder("savingsplans:CreateSavingsPlan", "savingsplans:TagResource");
        assertThat(aws.permissionsFor("Ec2:CreateTags+Tags")).containsExactly("ec2:CreateTags");

        AzureRbacActions azure = new AzureRbacActions();
        assertThat(azure.permissionsFor("PUT /providers/Microsoft.BillingBenefits/reservationOrderAliases/pledge-1"))
                .containsExactly("Microsoft.BillingBenefits/reservationOrderAliases/write");
        assertThat(azure.permissionsFor("GET /providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/pledge-1"))
                .containsExactly("Microsoft.BillingBenefits/savingsPlanOrderAliases/read");
        assertThat(azure.permissionsFor("GET /providers/Microsoft.BillingBenefits/operationResults/op-1"))
                .containsExactly("Microsoft.BillingBenefits/operationResults/read");
        assertThat(azure.permissionsFor("GET /subscriptions/s/providers/Microsoft.Capacity/reservationOrders/o/reservations/r"))
                .containsExactly("Microsoft.Capacity/reservationOrders/reservations/read");
        assertThat(azure.permissionsFor("POST /providers/Microsoft.Capacity/reservationOrders/o/return"))
                .containsExactly("Microsoft.Capacity/reservationOrders/return/action");
        assertThat(azure.permissionsFor("GET /oauth2/v2.0/token")).isEmpty();

        GcpIamPermissions gcp = new GcpIamPermissions();
        assertThat(gcp.permissionsFor("POST /compute/v1/projects/p/regions/r/commitments")).containsExactly("compute.commitments.create");
        assertThat(gcp.permissionsFor("GET /compute/v1/projects/p/regions/r/commitments/c")).containsExactly("compute.commitments.get");
        assertThat(gcp.permissionsFor("GET /compute/v1/projects/p/regions/r/commitments")).containsExactly("compute.commitments.list");
        assertThat(gcp.permissionsFor("GET /compute/v1/projects/p/regions/r/operations/op")).containsExactly("compute.regionOperations.get");
        assertThat(gcp.permissionsFor("POST /compute/v1/projects/p/regions/r/operations/op/wait")).containsExactly("compute.regionOperations.get");
        assertThat(gcp.permissionsFor("GET /compute/v1/projects/p/aggregated/commitments")).containsExactly("compute.commitments.list");
    }

    @Test
    void sign_in_and_test_harness_requests_need_no_grant_but_everything_else_does() {
        assertThat(new AwsIamActions().needsNoPermission("Sts:AssumeRoleWithWebIdentity")).isTrue();
        assertThat(new AwsIamActions().needsNoPermission("Sts:AssumeRole")).isFalse();
        AzureRbacActions azure = new AzureRbacActions();
        assertThat(azure.needsNoPermission("POST /72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token")).isTrue();
        assertThat(azure.needsNoPermission("POST /__pledge/faults")).isTrue();
        assertThat(azure.needsNoPermission("GET /providers/Microsoft.BillingBenefits/savingsPlans")).isFalse();
        GcpIamPermissions gcp = new GcpIamPermissions();
        assertThat(gcp.needsNoPermission("POST /token")).isTrue();
        assertThat(gcp.needsNoPermission("POST /compute/v1/projects/p/regions/r/commitments")).isFalse();

        PermissionCrossCheck.Result result = PermissionCrossCheck.compare(gcp,
                Set.of("POST /token", "GET /__pledge/state", "GET /compute/v1/projects/p/regions/r/commitments/c"),
                "includedPermissions: [compute.commitments.get]\n");
        assertThat(result.passes()).isTrue();
        assertThat(result.needed()).containsOnlyKeys("compute.commitments.get");
    }

    @Test
    void the_policy_files_grant_nothing_by_wildcard() {
        for (Cloud cloud : Cloud.values()) {
            assertThat(cloud.permissions.granted(cloud.policy())).as(cloud.policyFile)
                    .isNotEmpty().noneMatch(p -> p.contains("*"));
        }
    }

    @Test
    void the_azure_role_is_custom_and_assignable_below_the_tenant_root() throws Exception {
        JsonNode role = new ObjectMapper().readTree(Cloud.AZURE.policy());
        assertThat(role.path("IsCustom").asBoolean()).isTrue();
        assertThat(role.path("NotActions")).isEmpty();
        assertThat(role.path("AssignableScopes")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.asText()).isNotEqualTo("/").startsWith("/"));
    }

    @Test
    void the_aws_trust_policy_example_requires_the_external_id() throws Exception {
        JsonNode trust = new ObjectMapper().readTree(InfraFiles.read(
                InfraFiles.infraDir().resolve("aws/pledge-purchaser-trust-policy.example.json")));
        assertThat(trust.path("Statement")).isNotEmpty().allSatisfy(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.path("Action").asText()).isEqualTo("sts:AssumeRole");
            assertThat(s.path("Principal").path("AWS").asText()).startsWith("arn:aws:iam::").doesNotContain("*");
            assertThat(s.path("Condition").path("StringEquals").path("sts:ExternalId").asText()).isNotBlank();
        });
    }

    private static String withExtra(Cloud cloud, String permission) {
        String policy = cloud.policy();
        return switch (cloud) {
            case AWS -> policy.replaceFirst("\"Statement\": \\[",
                    "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"" + permission + "\", \"Resource\": \"*\"},");
            case AZURE -> policy.replaceFirst("\"Actions\": \\[", "\"Actions\": [\"" + permission + "\",");
            case GCP -> policy.replaceFirst("includedPermissions:\n", "includedPermissions:\n  - " + permission + "\n");
        };
    }
}
