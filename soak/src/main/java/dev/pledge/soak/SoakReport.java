package dev.pledge.soak;

import java.util.List;
import java.util.Map;

/**
 * The result of one soak run. The five problem counts ({@code doubleBuys}, {@code untracked},
 * {@code lost}, {@code stuck}, {@code budgetOverruns}) must be zero, the status counters must equal {@code COUNT(*)} per
 * status and every transition must have its audit event; {@code problems} says what was found.
 */
record SoakReport(long seed, int executions, int items, int commitments, int doubleBuys, int untracked, int lost,
                  int stuck, int counterMismatches, int auditGaps, int unseenFaultTargets, int faultsInjected, int workerKills,
                  int dbRestarts, int redrives, int refused, int workerCrashes, int killsMidPurchase, Map<String, Integer> faultKinds, Map<String, Integer> evidence,
                  long seconds, int budgetOverruns, int budgetRefused, int budgetRefusedItems,
                  int planProblems, Map<String, Integer> plans, List<String> problems) {

    boolean clean() {
        return doubleBuys == 0 && untracked == 0 && lost == 0 && stuck == 0 && counterMismatches == 0
                && auditGaps == 0 && unseenFaultTargets == 0 && budgetOverruns == 0 && planProblems == 0;
    }

    /** The one JSON line the soak prints: the fields first, then the supporting figures. */
    String json() {
        return "{\"executions\":" + executions
                + ",\"items\":" + items
                + ",\"commitments\":" + commitments
                + ",\"double_buys\":" + doubleBuys
                + ",\"untracked\":" + untracked
                + ",\"lost\":" + lost
                + ",\"stuck\":" + stuck
                + ",\"budget_overruns\":" + budgetOverruns
                + ",\"plan_problems\":" + planProblems
                + ",\"faults_injected\":" + faultsInjected
                + ",\"worker_kills\":" + workerKills
                + ",\"db_restarts\":" + dbRestarts
                + ",\"seconds\":" + seconds
                + ",\"seed\":" + seed
                + ",\"counter_mismatches\":" + counterMismatches
                + ",\"audit_gaps\":" + auditGaps
                + ",\"unseen_fault_targets\":" + unseenFaultTargets
                + ",\"redrives\":" + redrives
                + ",\"refused\":" + refused
                + ",\"budget_refused\":" + budgetRefused
                + ",\"worker_crashes\":" + workerCrashes
                + ",\"kills_mid_purchase\":" + killsMidPurchase
                + ",\"fault_kinds\":" + faultKinds.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(",", "{", "}"))
                + ",\"plans\":" + plans.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(",", "{", "}"))
                + ",\"evidence\":" + evidence.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(",", "{", "}"))
                + "}";
    }
}
