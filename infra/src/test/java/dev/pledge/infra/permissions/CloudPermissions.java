package dev.pledge.infra.permissions;

import java.util.Set;

/** How one cloud names what a recorded operation needs, and what its policy file grants. */
interface CloudPermissions {

    /** The cloud's name as the recordings and messages use it (aws, azure, gcp). */
    String cloud();

    /**
     * Recorded requests that are not cloud operations needing a grant: sign-in (token) requests,
     * and the test harness's own requests to the emulator's control API ({@code /__pledge/}) or
     * WireMock's admin API.
     */
    default boolean needsNoPermission(String recordedOperation) {
        return recordedOperation.matches("[A-Z]+ /(__pledge|__admin)/.*");
    }

    /** The permissions a recorded operation line needs; empty when the line cannot be mapped. */
    Set<String> permissionsFor(String recordedOperation);

    /** The permissions a policy/role file grants, as written. */
    Set<String> granted(String policyText);

    /** The same policy/role file with one granted permission removed (a deliberately trimmed policy). */
    String withoutPermission(String policyText, String permission);

    /** Whether {@code granted} (possibly with wildcards) covers {@code needed}. */
    default boolean covers(String granted, String needed) {
        return granted.equalsIgnoreCase(needed);
    }
}
