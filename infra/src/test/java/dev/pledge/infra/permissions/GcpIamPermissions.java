package dev.pledge.infra.permissions;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GCP: a recorded {@code METHOD /compute/v1/projects/p/regions/r/collection[/name[/method]]}
 * needs {@code compute.<collection>.<verb>}: POST on the collection is create, GET on an item get,
 * GET on the collection list, DELETE delete, POST on an item's custom method that method. Regional
 * operations are the collection {@code regionOperations}; waiting on one needs its get.
 */
final class GcpIamPermissions implements CloudPermissions {
    private static final Pattern REGIONAL = Pattern.compile(
            "(GET|POST|DELETE|PATCH) /compute/v1/projects/[^/]+/regions/[^/]+/([A-Za-z]+)(?:/([^/]+)(?:/([A-Za-z]+))?)?");
    private static final Pattern AGGREGATED = Pattern.compile("GET /compute/v1/projects/[^/]+/aggregated/([A-Za-z]+)");
    /** The committed-use recommender's IAM prefix is usageCommitmentRecommendations (Recommender API reference). */
    private static final Pattern RECOMMENDATIONS = Pattern.compile("(GET|POST) /v1/projects/[^/]+/locations/[^/]+/"
            + "recommenders/google\\.compute\\.commitment\\.UsageCommitmentRecommender/recommendations(/[^/:]+)?(:mark\\w+)?");

    @Override
    public String cloud() {
        return "gcp";
    }

    /** Google OAuth token requests (service account keys, impersonation sign-in) are not Compute operations. */
    @Override
    public boolean needsNoPermission(String recorded) {
        return CloudPermissions.super.needsNoPermission(recorded)
                || recorded.matches("POST /(token|oauth2/v4/token)");
    }

    @Override
    public Set<String> permissionsFor(String recorded) {
        return permissionFor(recorded).map(Set::of).orElse(Set.of());
    }

    private Optional<String> permissionFor(String recorded) {
        String line = recorded.strip();
        Matcher recommendations = RECOMMENDATIONS.matcher(line);
        if (recommendations.matches()) {
            String verb = recommendations.group(3) != null ? "update" : recommendations.group(2) != null ? "get" : "list";
            return Optional.of("recommender.usageCommitmentRecommendations." + verb);
        }
        Matcher aggregated = AGGREGATED.matcher(line);
        if (aggregated.matches()) {
            return Optional.of("compute." + aggregated.group(1) + ".list");
        }
        Matcher m = REGIONAL.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        String method = m.group(1);
        String collection = m.group(2).equals("operations") ? "regionOperations" : m.group(2);
        String item = m.group(3);
        String custom = m.group(4);
        String verb;
        if (custom != null) {
            verb = collection.equals("regionOperations") && custom.equals("wait") ? "get" : custom;
            if (!method.equals("POST")) {
                return Optional.empty();
            }
        } else if (item == null) {
            verb = switch (method) {
                case "GET" -> "list";
                case "POST" -> "create";
                default -> null;
            };
        } else {
            verb = switch (method) {
                case "GET" -> "get";
                case "DELETE" -> "delete";
                case "PATCH" -> "update";
                default -> null;
            };
        }
        return verb == null ? Optional.empty() : Optional.of("compute." + collection + "." + verb);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<String> granted(String roleYaml) {
        Map<String, Object> role = new Yaml(new SafeConstructor(new LoaderOptions())).load(roleYaml);
        Object permissions = role == null ? null : role.get("includedPermissions");
        return permissions instanceof List<?> l ? new TreeSet<>((List<String>) l) : new TreeSet<>();
    }

    @Override
    @SuppressWarnings("unchecked")
    public String withoutPermission(String roleYaml, String permission) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> role = yaml.load(roleYaml);
        List<String> kept = new java.util.ArrayList<>((List<String>) role.get("includedPermissions"));
        kept.remove(permission);
        role.put("includedPermissions", kept);
        return yaml.dump(role);
    }

    /** GCP permissions have no wildcards in custom roles. */
    @Override
    public boolean covers(String granted, String needed) {
        return granted.equals(needed);
    }
}
