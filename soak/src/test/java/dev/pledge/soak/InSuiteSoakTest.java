package dev.pledge.soak;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak, small enough for {@code mvn verify}: 200 executions over two worker JVMs, every fault
 * kind, two kill -9s in the middle of purchases and one PostgreSQL restart; nothing bought twice.
 */
class InSuiteSoakTest {

    @Test
    void two_hundred_executions_under_every_fault_kind_worker_kills_and_a_database_restart_buy_nothing_twice()
            throws Exception {
        Path work = Files.createTempDirectory("pledge-soak-test-");
        SoakOptions options = new SoakOptions(200, 20261123L, 2, 2, 1, work, workerClasspath());
        SoakReport report = new SoakRun(options, System.err).run();

        String problems = String.join("\n", report.problems());
        // the workload's 200 and what the plans proposed (issue 16)
        assertThat(report.plans().get("proposed")).as("purchases the plans proposed").isPositive();
        assertThat(report.executions()).as("executions in the database")
                .isEqualTo(200 + report.plans().get("proposed"));
        assertThat(report.planProblems()).as("plan problems\n" + problems).isZero();
        assertThat(report.plans().get("replayed")).as("cycle re-runs that found their purchase")
                .isEqualTo(report.plans().get("proposed"));
        assertThat(report.plans().get("auto_approved")).as("proposals auto-approved").isPositive();
        assertThat(report.doubleBuys()).as("double buys\n" + problems).isZero();
        assertThat(report.untracked()).as("untracked commitments\n" + problems).isZero();
        assertThat(report.lost()).as("lost executions\n" + problems).isZero();
        assertThat(report.stuck()).as("stuck executions\n" + problems).isZero();
        assertThat(report.counterMismatches()).as("status counters vs COUNT(*)\n" + problems).isZero();
        assertThat(report.auditGaps()).as("transitions without an audit event\n" + problems).isZero();
        assertThat(report.unseenFaultTargets()).as("faults aimed at operations never called\n" + problems).isZero();
        assertThat(report.workerKills()).as("worker kills").isGreaterThanOrEqualTo(2);
        assertThat(report.dbRestarts()).as("database restarts").isEqualTo(1);
        assertThat(report.faultKinds().keySet()).as("fault kinds armed").containsAll(FaultMenu.KINDS);
        assertThat(report.budgetOverruns()).as("budget overruns\n" + problems).isZero();
        assertThat(report.budgetRefused()).as("approvals or re-drives refused by a budget").isPositive();
        // with no double buy and nothing untracked, every commitment is one bought item: most items that a budget
        // let through got bought
        assertThat(report.commitments()).as("commitments in the emulator")
                .isGreaterThan((report.items() - report.budgetRefusedItems()) * 9 / 10);
        System.err.println(report.json());
        deleteRecursively(work); // kept when an assertion failed: the worker logs are in it
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The module's classes and its copied runtime jars (target/lib), as the worker JVMs' class path. */
    private static String workerClasspath() {
        String classes = System.getProperty("soak.classes");
        String lib = System.getProperty("soak.lib");
        assertThat(classes).as("soak.classes (set by the surefire configuration)").isNotBlank();
        assertThat(lib).as("soak.lib (set by the surefire configuration)").isNotBlank();
        assertThat(Path.of(lib)).isDirectory();
        return classes + java.io.File.pathSeparator + lib + java.io.File.separator + "*";
    }
}
