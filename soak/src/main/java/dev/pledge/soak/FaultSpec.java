package dev.pledge.soak;

/**
 * One fault armed in the emulator, in its control API's terms.
 *
 * @param kind a name for the soak's tally (e.g. {@code aws-5xx}, {@code gcp-operation-timeout})
 */
record FaultSpec(String kind, String cloud, String type, String operation, String fault, int times, Integer status,
                 String code, Integer delayMs) {
}
