package dev.pledge.infra.permissions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Both directions between what the executors invoked and what a policy file grants: every
 * invoked operation must be allowed, every granted permission must have been needed, and every
 * invoked operation must be understood (an operation the mapping does not know is not assumed
 * harmless).
 */
final class PermissionCrossCheck {

    /**
     * @param needed     permission -> the recorded operations that need it
     * @param notGranted needed permissions the policy lacks (an executor would be denied)
     * @param unused     granted permissions no recorded operation needs (more than least privilege)
     * @param unmapped   recorded operations whose permission is unknown
     */
    record Result(Map<String, Set<String>> needed, Set<String> notGranted, Set<String> unused, Set<String> unmapped) {
        boolean passes() {
            return notGranted.isEmpty() && unused.isEmpty() && unmapped.isEmpty();
        }

        List<String> problems(String cloud, String policyFile) {
            List<String> problems = new ArrayList<>();
            notGranted.forEach(p -> problems.add(cloud + ": " + policyFile + " does not allow " + p
                    + ", which the executors invoke as " + needed.get(p)));
            unused.forEach(p -> problems.add(cloud + ": " + policyFile + " grants " + p
                    + ", which no executor invoked in the provider tests"));
            unmapped.forEach(o -> problems.add(cloud + ": recorded operation '" + o
                    + "' has no known permission; teach the mapping in infra's tests"));
            return problems;
        }
    }

    private PermissionCrossCheck() {
    }

    static Result compare(CloudPermissions cloud, Set<String> recordedOperations, String policyText) {
        Map<String, Set<String>> needed = new TreeMap<>();
        Set<String> unmapped = new TreeSet<>();
        for (String operation : recordedOperations) {
            if (cloud.needsNoPermission(operation)) {
                continue;
            }
            Set<String> permissions = cloud.permissionsFor(operation);
            if (permissions.isEmpty()) {
                unmapped.add(operation);
            }
            for (String permission : permissions) {
                needed.computeIfAbsent(permission, k -> new TreeSet<>()).add(operation);
            }
        }
        Set<String> granted = cloud.granted(policyText);
        Set<String> notGranted = new TreeSet<>();
        for (String permission : needed.keySet()) {
            if (granted.stream().noneMatch(g -> cloud.covers(g, permission))) {
                notGranted.add(permission);
            }
        }
        Set<String> unused = new TreeSet<>();
        for (String g : granted) {
            if (needed.keySet().stream().noneMatch(p -> cloud.covers(g, p))) {
                unused.add(g);
            }
        }
        return new Result(needed, notGranted, unused, unmapped);
    }
}
