package dev.pledge.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.ValidationException;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Attribute checks and body parts both order-alias types share: billing scope, applied scope, display name, renew. */
final class AliasAttributes {
    static final List<String> SHARED = List.of("appliedScopeType", "appliedScopeSubscriptionId",
            "appliedScopeResourceGroupId", "appliedScopeManagementGroupId", "appliedScopeTenantId", "displayName",
            "renew");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private static final Pattern DISPLAY_NAME = Pattern.compile("[A-Za-z0-9_.\\- ]{1,100}");

    private AliasAttributes() {
    }

    /** Refuses attributes the type does not know, so a misspelt key never goes unnoticed. */
    static void refuseUnknown(CommitmentRequest request, List<String> own) {
        Set<String> allowed = new TreeSet<>(own);
        allowed.addAll(SHARED);
        for (String key : request.attributes().keySet()) {
            if (!allowed.contains(key)) {
                throw new ValidationException("attributes." + key, "is not used by " + request.type().slug()
                        + "; known attributes: " + String.join(", ", allowed));
            }
        }
    }

    /**
     * The billing scope: the account as given when it is an ARM id ({@code /subscriptions/...} or
     * {@code /providers/Microsoft.Billing/...}); a bare subscription GUID becomes {@code /subscriptions/<guid>}.
     */
    static String billingScopeId(CommitmentRequest request) {
        return billingScopeId(request.account());
    }

    /** {@link #billingScopeId(CommitmentRequest)} of an account as given; the error names {@code account}. */
    static String billingScopeId(String account) {
        if (GUID.matcher(account).matches()) {
            return "/subscriptions/" + account.toLowerCase(Locale.ROOT);
        }
        if (account.startsWith("/subscriptions/") || account.startsWith("/providers/Microsoft.Billing/")) {
            return account;
        }
        throw new ValidationException("account", "'" + account + "' is not an Azure billing scope; give a subscription "
                + "id (a GUID or /subscriptions/<guid>) or a billing profile id (/providers/Microsoft.Billing/...)");
    }

    static String displayName(CommitmentRequest request, String alias) {
        String name = request.attribute("displayName");
        if (name == null) {
            return alias;
        }
        if (!DISPLAY_NAME.matcher(name).matches()) {
            throw new ValidationException("attributes.displayName",
                    "must be 1-100 characters: letters, digits, spaces and _ . -");
        }
        return name;
    }

    static boolean renew(CommitmentRequest request) {
        String v = request.attribute("renew");
        if (v == null) {
            return false;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new ValidationException("attributes.renew", "must be true or false, was '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** Writes appliedScopeType (default Shared) and, where the type needs them, appliedScopeProperties. */
    static void appliedScope(CommitmentRequest request, ObjectNode properties) {
        String type = request.attribute("appliedScopeType");
        String canonical = type == null ? "Shared" : switch (type.toLowerCase(Locale.ROOT)) {
            case "shared" -> "Shared";
            case "single" -> "Single";
            case "managementgroup" -> "ManagementGroup";
            default -> throw new ValidationException("attributes.appliedScopeType",
                    "'" + type + "' is not valid; allowed: Shared, Single, ManagementGroup");
        };
        properties.put("appliedScopeType", canonical);
        if (canonical.equals("Single")) {
            String subscription = request.attribute("appliedScopeSubscriptionId");
            String group = request.attribute("appliedScopeResourceGroupId");
            if ((subscription == null) == (group == null)) {
                throw new ValidationException("attributes.appliedScopeSubscriptionId",
                        "appliedScopeType Single needs exactly one of appliedScopeSubscriptionId "
                                + "(/subscriptions/<guid>) or appliedScopeResourceGroupId");
            }
            ObjectNode scope = properties.putObject("appliedScopeProperties");
            if (subscription != null) {
                scope.put("subscriptionId", armId("appliedScopeSubscriptionId", subscription, "/subscriptions/"));
            } else {
                scope.put("resourceGroupId", armId("appliedScopeResourceGroupId", group, "/subscriptions/"));
            }
        } else if (canonical.equals("ManagementGroup")) {
            ObjectNode scope = properties.putObject("appliedScopeProperties");
            scope.put("managementGroupId", armId("appliedScopeManagementGroupId",
                    request.requireAttribute("appliedScopeManagementGroupId", "the management group the benefit applies to"),
                    "/providers/Microsoft.Management/managementGroups/"));
            String tenant = request.requireAttribute("appliedScopeTenantId", "the tenant of the management group");
            if (!GUID.matcher(tenant).matches()) {
                throw new ValidationException("attributes.appliedScopeTenantId", "must be a GUID");
            }
            scope.put("tenantId", tenant);
        }
    }

    private static String armId(String key, String value, String prefix) {
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new ValidationException("attributes." + key, "must start with " + prefix);
        }
        return value;
    }
}
