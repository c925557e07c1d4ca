package dev.pledge.infra.permissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure: a recorded {@code METHOD /path} needs the RBAC action ARM derives from the request: the
 * provider namespace, the resource types along the path (names dropped), and the verb (GET read,
 * PUT/PATCH write, DELETE delete, POST action). For example
 * {@code PUT /providers/Microsoft.BillingBenefits/reservationOrderAliases/a} needs
 * {@code Microsoft.BillingBenefits/reservationOrderAliases/write}, and polling
 * {@code GET /providers/Microsoft.BillingBenefits/operationResults/x} needs
 * {@code Microsoft.BillingBenefits/operationResults/read}.
 */
final class AzureRbacActions implements CloudPermissions {
    private static final Pattern REQUEST = Pattern.compile(
            "(GET|PUT|PATCH|DELETE|POST) (?:/subscriptions/[^/]+(?:/resourceGroups/[^/]+)?)?/providers/([A-Za-z]+\\.[A-Za-z.]+)((?:/[^/]+)*)");
    private static final Map<String, String> VERB = Map.of(
            "GET", "read", "PUT", "write", "PATCH", "write", "DELETE", "delete");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String cloud() {
        return "azure";
    }

    /** Entra ID sign-in (token, discovery, OpenID metadata) is not an ARM operation. */
    @Override
    public boolean needsNoPermission(String recorded) {
        return CloudPermissions.super.needsNoPermission(recorded)
                || recorded.matches("(GET|POST) /[^/]+/oauth2/(v2\\.0/)?(token|authorize)")
                || recorded.matches("GET /common/discovery/instance")
                || recorded.matches("GET /[^/]+(/v2\\.0)?/\\.well-known/openid-configuration");
    }

    @Override
    public Set<String> permissionsFor(String recorded) {
        return permissionFor(recorded).map(Set::of).orElse(Set.of());
    }

    private Optional<String> permissionFor(String recorded) {
        // an extension resource under a scope ({scope}/providers/Microsoft.Consumption/...): the last provider decides
        String line = recorded.strip();
        int space = line.indexOf(' ');
        int last = line.lastIndexOf("/providers/");
        if (space > 0 && last > space + 1 && line.indexOf("/providers/", space) != last) {
            line = line.substring(0, space + 1) + line.substring(last);
        }
        Matcher m = REQUEST.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        String method = m.group(1);
        List<String> segments = new ArrayList<>(List.of(m.group(3).substring(m.group(3).isEmpty() ? 0 : 1).split("/")));
        segments.removeIf(String::isEmpty);
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        List<String> types = new ArrayList<>();
        for (int i = 0; i < segments.size(); i += 2) {
            types.add(segments.get(i)); // type/name/type/name...: keep the types
        }
        String verb;
        if (method.equals("POST")) {
            // POST .../{type}/{name}/{operation}: the operation is the action's last type
            if (segments.size() % 2 == 0) {
                return Optional.empty();
            }
            verb = "action";
        } else {
            verb = VERB.get(method);
        }
        return Optional.of(m.group(2) + "/" + String.join("/", types) + "/" + verb);
    }

    @Override
    public Set<String> granted(String roleText) {
        try {
            Set<String> actions = new TreeSet<>();
            JsonNode role = JSON.readTree(roleText);
            JsonNode list = role.has("Actions") ? role.get("Actions") : role.path("permissions").path(0).path("actions");
            list.forEach(a -> actions.add(a.asText()));
            return actions;
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON role definition", e);
        }
    }

    @Override
    public String withoutPermission(String roleText, String permission) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode role =
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(roleText);
            com.fasterxml.jackson.databind.node.ArrayNode kept = JSON.createArrayNode();
            role.path("Actions").forEach(a -> {
                if (!a.asText().equals(permission)) {
                    kept.add(a.asText());
                }
            });
            role.set("Actions", kept);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(role);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RBAC actions are case-insensitive and may end in wildcards. */
    @Override
    public boolean covers(String granted, String needed) {
        String regex = Pattern.quote(granted.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
        return needed.toLowerCase(Locale.ROOT).matches(regex);
    }
}
