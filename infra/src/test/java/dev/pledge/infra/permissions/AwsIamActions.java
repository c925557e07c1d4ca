package dev.pledge.infra.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * AWS: a recorded {@code Service:Operation} (the SDK's service and operation names) needs the IAM
 * action {@code prefix:Operation}; for every API these executors call the IAM action is named
 * after the operation, only the service prefix differs from the SDK's service name. Tags on a
 * create request need the service's tagging action as well.
 */
final class AwsIamActions implements CloudPermissions {
    /** SDK service name (SdkExecutionAttribute.SERVICE_NAME) -> IAM service prefix. */
    static final Map<String, String> IAM_PREFIX = Map.of(
            "Ec2", "ec2",
            "Rds", "rds",
            "ElastiCache", "elasticache",
            "MemoryDb", "memorydb",
            "OpenSearch", "es",
            "Redshift", "redshift",
            "Savingsplans", "savingsplans",
            "Sts", "sts",
            "CostExplorer", "ce");
    /** IAM prefix -> the action that authorises tags given on a create request. */
    static final Map<String, String> TAG_ON_CREATE = Map.of(
            "ec2", "ec2:CreateTags",
            "rds", "rds:AddTagsToResource",
            "elasticache", "elasticache:AddTagsToResource",
            "memorydb", "memorydb:TagResource",
            "es", "es:AddTags",
            "redshift", "redshift:CreateTags",
            "savingsplans", "savingsplans:TagResource");
    private static final String TAGS_SUFFIX = "+Tags";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String cloud() {
        return "aws";
    }

    /** STS calls that IAM never denies: who am I, and the web-identity (IRSA) sign-in itself. */
    @Override
    public boolean needsNoPermission(String recorded) {
        return recorded.equals("Sts:GetCallerIdentity") || recorded.equals("Sts:AssumeRoleWithWebIdentity");
    }

    /**
     * {@code Service:Operation} needs {@code prefix:Operation}; with {@code +Tags} (the request tags
     * what it creates) it also needs the service's tagging action, which IAM checks on create.
     */
    @Override
    public Set<String> permissionsFor(String recorded) {
        String line = recorded.strip();
        boolean tags = line.endsWith(TAGS_SUFFIX);
        String[] parts = (tags ? line.substring(0, line.length() - TAGS_SUFFIX.length()) : line).split(":", 2);
        if (parts.length != 2 || !IAM_PREFIX.containsKey(parts[0]) || parts[1].isBlank()) {
            return Set.of();
        }
        String prefix = IAM_PREFIX.get(parts[0]);
        Set<String> needed = new TreeSet<>(Set.of(prefix + ":" + parts[1]));
        if (tags) {
            String tagging = TAG_ON_CREATE.get(prefix);
            if (tagging == null) {
                return Set.of();
            }
            if (!needed.contains(tagging)) {
                needed.add(tagging);
            }
        }
        return needed;
    }

    /** The actions of the Allow statements (Deny and NotAction grant nothing). */
    @Override
    public Set<String> granted(String policyText) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : statements(policyText)) {
            if (!"Allow".equals(statement.path("Effect").asText())) {
                continue;
            }
            JsonNode action = statement.path("Action");
            if (action.isTextual()) {
                actions.add(action.asText());
            } else {
                action.forEach(a -> actions.add(a.asText()));
            }
        }
        return actions;
    }

    @Override
    public String withoutPermission(String policyText, String permission) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode policy =
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(policyText);
            com.fasterxml.jackson.databind.node.ArrayNode kept = JSON.createArrayNode();
            for (JsonNode statement : statements(policyText)) {
                com.fasterxml.jackson.databind.node.ObjectNode s = statement.deepCopy();
                JsonNode action = s.path("Action");
                com.fasterxml.jackson.databind.node.ArrayNode actions = JSON.createArrayNode();
                (action.isTextual() ? java.util.List.of(action) : action).forEach(a -> {
                    if (!a.asText().equals(permission)) {
                        actions.add(a.asText());
                    }
                });
                if (!actions.isEmpty()) {
                    s.set("Action", actions);
                    kept.add(s);
                }
            }
            policy.set("Statement", kept);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** IAM action names are case-insensitive and may use * and ? wildcards. */
    @Override
    public boolean covers(String granted, String needed) {
        String regex = Pattern.quote(granted).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(needed).matches();
    }

    static Iterable<JsonNode> statements(String policyText) {
        try {
            JsonNode statement = JSON.readTree(policyText).path("Statement");
            return statement.isArray() ? statement : java.util.List.of(statement);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON policy", e);
        }
    }
}
