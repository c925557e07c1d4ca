package dev.pledge.app.cli;

import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pledge buy --token} as a user meets it: a purchase whose answer is lost, re-runs of the same
 * command, concurrent runs with one token (threads and processes), a run killed mid-purchase. Real
 * executors and SDK clients over HTTP against the emulator; every check counts what the emulator holds
 * and the purchase requests it received.
 */
class BuyTokenJournalTest {
    private static Emulator emulator;
    private static EmulatorClient cloud;

    @TempDir
    Path journal;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        cloud = emulator.client();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void forgetEverything() {
        cloud.reset();
        CliRun.journalDir = journal;
    }

    /** The purchase operation of each type, as the emulator names it (for faults on that call only). */
    private static final Map<String, String> PURCHASE_OPERATION = Map.of(
            "aws-ec2", "PurchaseReservedInstancesOffering",
            "aws-savings-plan", "CreateSavingsPlan",
            "aws-rds", "PurchaseReservedDBInstancesOffering",
            "aws-elasticache", "PurchaseReservedCacheNodesOffering",
            "aws-memorydb", "PurchaseReservedNodesOffering",
            "aws-opensearch", "PurchaseReservedInstanceOffering",
            "aws-redshift", "PurchaseReservedNodeOffering",
            "azure-reservation", "ReservationOrderAlias_Create",
            "azure-savings-plan", "SavingsPlanOrderAlias_Create",
            "gcp-compute", "RegionCommitments.insert");

    static Stream<Arguments> everyType() {
        return BuyCommandTest.everyType();
    }

    private static String[] buy(String type, List<String> flags, String... more) {
        List<String> all = new ArrayList<>(List.of("buy", "--type", type, "--endpoint",
                emulator.baseUrl().toString()));
        all.addAll(flags);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static int purchases(Cloud c, String type) {
        return cloud.requestCount(c, type, CallKind.PURCHASE);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyType")
    void for_every_type_a_lost_answer_then_reruns_and_concurrent_runs_with_the_same_token_hold_one_commitment(
            Cloud c, String type, List<String> flags) throws Exception {
        // every try of the purchase commits and its answer is lost (keyed types' SDK retries included)
        cloud.inject(FaultSpec.of(c, type, PURCHASE_OPERATION.get(type), FaultKind.RESET_AFTER_COMMIT, 10));

        CliRun lost = CliRun.run(buy(type, flags, "--yes", "--token", "LOST-" + type));

        assertThat(lost.exitCode).as(lost.toString()).isEqualTo(ExitCode.OUTCOME_UNKNOWN);
        assertThat(cloud.commitments(c, type)).as("the lost purchase landed").hasSize(1);
        // the journal's first attempt spans the purchase: recorded before it was sent, finished after it returned
        // (the executors adopt an untagged commitment only inside that window)
        Instant bought = cloud.commitments(c, type).get(0).createdAt();
        assertThat(recorded("start 1")).isBeforeOrEqualTo(bought);
        assertThat(recorded("end 1")).isAfterOrEqualTo(bought);
        int sent = purchases(c, type);
        cloud.clearFaults();

        CliRun again = CliRun.run(buy(type, flags, "--yes", "--token", "LOST-" + type));
        CliRun third = CliRun.run(buy(type, flags, "--yes", "--token", "LOST-" + type));
        List<CliRun> together = concurrently(buy(type, flags, "--yes", "--token", "LOST-" + type),
                buy(type, flags, "--yes", "--token", "LOST-" + type));

        List<Commitment> held = cloud.commitments(c, type);
        assertThat(held).as(again + "\n" + third).hasSize(1);
        assertThat(purchases(c, type)).as("purchase requests after the lost one").isEqualTo(sent);
        String shown = held.get(0).key() != null && type.startsWith("gcp") ? held.get(0).key() : held.get(0).id();
        for (CliRun r : List.of(again, third, together.get(0), together.get(1))) {
            assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
            assertThat(r.out).as(r.toString()).containsAnyOf("Already owned", "Recovered").contains(shown);
        }
        assertThat(third.out).contains("by an earlier run with this token");
        // the advice given with exit 4 is what was just done: the same command, the same token, the same journal
        assertThat(lost.err).as(lost.toString()).contains("Outcome unknown", "same --token", journal.toString());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyType")
    void for_every_type_two_concurrent_runs_with_one_token_buy_once(Cloud c, String type, List<String> flags)
            throws Exception {
        // a slow purchase answer, so that the two runs overlap
        cloud.inject(FaultSpec.delay(c, type, PURCHASE_OPERATION.get(type), 2, 1500));

        List<CliRun> runs = concurrently(buy(type, flags, "--yes", "--token", "RACE-" + type),
                buy(type, flags, "--yes", "--token", "RACE-" + type));

        String both = runs.get(0) + "\n" + runs.get(1);
        assertThat(cloud.commitments(c, type)).as(both).hasSize(1);
        assertThat(purchases(c, type)).as(both).isEqualTo(1);
        assertThat(runs).allSatisfy(r -> assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK));
        assertThat(runs.get(0).out + runs.get(1).out).contains("Bought ").containsAnyOf("Already owned", "Recovered");
    }

    @Test
    void a_run_in_another_process_holds_the_token_and_this_run_waits_for_it_then_finds_what_it_bought()
            throws Exception {
        List<String> flags = ec2Flags();
        cloud.inject(FaultSpec.delay(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering", 1, 4000));
        Process other = child(buy("aws-ec2", flags, "--yes", "--token", "PROC-1"));
        try {
            await(() -> purchases(Cloud.AWS, "aws-ec2") == 1, other); // the other process is in its purchase

            CliRun here = CliRun.run(buy("aws-ec2", flags, "--yes", "--token", "PROC-1"));

            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String otherOut = new String(other.getInputStream().readAllBytes());
            assertThat(other.exitValue()).as(otherOut).isEqualTo(ExitCode.OK);
            assertThat(cloud.commitments(Cloud.AWS, "aws-ec2")).as(here.toString()).hasSize(1);
            assertThat(purchases(Cloud.AWS, "aws-ec2")).isEqualTo(1);
            assertThat(here.err).as(here.toString()).contains("waiting for another run with this token");
            assertThat(here.exitCode).as(here.toString()).isEqualTo(ExitCode.OK);
            assertThat(here.out).contains("Already owned", "by an earlier run with this token");
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void a_run_killed_during_its_purchase_makes_the_rerun_wait_until_it_cannot_be_buying_and_then_adopt_it()
            throws Exception {
        List<String> flags = ec2Flags();
        cloud.inject(FaultSpec.delay(Cloud.AWS, "aws-ec2", "PurchaseReservedInstancesOffering", 1, 30_000));
        Process killed = child(buy("aws-ec2", flags, "--yes", "--token", "KILL-1"));
        await(() -> cloud.commitments(Cloud.AWS, "aws-ec2").size() == 1, killed); // bought, answer not yet sent
        killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        CliRun soon = CliRun.run(buy("aws-ec2", flags, "--yes", "--token", "KILL-1"));

        assertThat(cloud.commitments(Cloud.AWS, "aws-ec2")).as(soon.toString()).hasSize(1);
        assertThat(soon.exitCode).as(soon.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(soon.err).as(soon.toString()).contains("has no recorded outcome", "Nothing was bought",
                "run the same command again after");
        assertThat(purchases(Cloud.AWS, "aws-ec2")).isEqualTo(1);

        // once the killed run can no longer be buying (the executors' in-flight bound), the re-run settles it
        Duration bound = ProviderSettings.emulator(emulator.baseUrl()).inFlightBound();
        Clock later = Clock.fixed(Instant.now().plus(bound).plusSeconds(5), ZoneOffset.UTC);
        CliRun settled = CliRun.at(later, Map.of(), null, buy("aws-ec2", flags, "--yes", "--token", "KILL-1"));

        assertThat(settled.exitCode).as(settled.toString()).isEqualTo(ExitCode.OK);
        assertThat(settled.out).contains("Already owned", cloud.commitments(Cloud.AWS, "aws-ec2").get(0).id());
        assertThat(cloud.commitments(Cloud.AWS, "aws-ec2")).hasSize(1);
        assertThat(purchases(Cloud.AWS, "aws-ec2")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws-ec2", "aws-rds"})
    void a_commitment_the_journal_records_but_the_cloud_no_longer_shows_is_not_bought_again(String type) {
        List<String> flags = BuyCommandTest.everyType().filter(a -> a.get()[1].equals(type))
                .map(a -> (List<String>) a.get()[2]).findFirst().orElseThrow();
        CliRun bought = CliRun.run(buy(type, flags, "--yes", "--token", "GONE-1"));
        assertThat(bought.exitCode).as(bought.toString()).isEqualTo(ExitCode.OK);
        cloud.reset(); // the cloud forgets it (returned, or another account): the journal still records it

        CliRun again = CliRun.run(buy(type, flags, "--yes", "--token", "GONE-1"));

        assertThat(again.exitCode).as(again.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(again.err).contains("the journal records that an earlier run with this token bought",
                "does not find it", "new --token");
        assertThat(cloud.commitments(Cloud.AWS, type)).isEmpty();
        assertThat(purchases(Cloud.AWS, type)).isZero();
    }

    @Test
    void the_journal_is_private_to_the_user_and_never_names_the_token() throws Exception {
        Path dir = journal.resolve("nested").resolve("cli-journal");
        CliRun r = CliRun.run(buy("aws-ec2", ec2Flags(), "--yes", "--token", "CHG-PRIVATE-4711",
                "--journal-dir", dir.toString()));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        Path file = files.get(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(file.getFileName().toString()).doesNotContain("CHG").matches("[0-9a-f]{64}\\.journal");
        assertThat(Files.readString(file)).doesNotContain("CHG-PRIVATE-4711");
        assertThat(r.out + r.err).doesNotContain("CHG-PRIVATE-4711");
        assertThat(journal.resolve(file.getFileName())).doesNotExist(); // the flag wins over PLEDGE_JOURNAL_DIR
    }

    @Test
    void a_journal_that_cannot_be_written_refuses_before_anything_is_sent() throws Exception {
        Path notADirectory = Files.writeString(journal.resolve("a-file"), "");

        CliRun r = CliRun.run(buy("aws-ec2", ec2Flags(), "--yes", "--token", "CHG-NOWHERE", "--journal-dir",
                notADirectory.resolve("cli-journal").toString()));

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err).contains("journal of this token could not be used", notADirectory.toString(),
                "nothing was bought", "--journal-dir");
        assertThat(purchases(Cloud.AWS, "aws-ec2")).isZero();
        assertThat(cloud.commitments(Cloud.AWS, "aws-ec2")).isEmpty();
    }

    @Test
    void a_token_used_for_another_purchase_is_refused_before_anything_is_sent() {
        CliRun first = CliRun.run(buy("aws-ec2", ec2Flags(), "--yes", "--token", "CHG-REUSED"));
        CliRun other = CliRun.run(CommandLineUsageTest.replace(buy("aws-ec2", ec2Flags(), "--yes", "--token",
                "CHG-REUSED"), "--count=2", "--count=3"));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(ExitCode.OK);
        assertThat(other.exitCode).as(other.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(other.err).contains("--token", "another purchase", "count 2");
        assertThat(cloud.commitments(Cloud.AWS, "aws-ec2")).hasSize(1);
        assertThat(purchases(Cloud.AWS, "aws-ec2")).isEqualTo(1);
    }

    /** The time of the journal record starting with {@code prefix} (the only journal in this test's directory). */
    private Instant recorded(String prefix) throws java.io.IOException {
        try (Stream<Path> files = Files.list(journal)) {
            Path file = files.filter(p -> p.toString().endsWith(TokenJournal.SUFFIX)).findFirst().orElseThrow();
            return Files.readAllLines(file).stream().map(TokenJournal::fields)
                    .filter(f -> f != null && (f.get(0) + " " + f.get(1)).equals(prefix))
                    .map(f -> Instant.parse(f.get(2))).findFirst().orElseThrow();
        }
    }

    private static List<String> ec2Flags() {
        return List.of("--account=111122223333", "--region=us-east-1", "--offering=m5.large", "--count=2",
                "--term=1y", "--payment=no-upfront");
    }

    /** Runs both command lines at the same moment on two threads and returns both results. */
    private static List<CliRun> concurrently(String[] a, String[] b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<CliRun> first = CompletableFuture.supplyAsync(() -> runAfter(start, a));
        CompletableFuture<CliRun> second = CompletableFuture.supplyAsync(() -> runAfter(start, b));
        return List.of(first.get(120, TimeUnit.SECONDS), second.get(120, TimeUnit.SECONDS));
    }

    private static CliRun runAfter(CyclicBarrier start, String[] args) {
        try {
            start.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return CliRun.run(args);
    }

    /** {@code pledge} in a process of its own, with this test's journal directory. */
    private Process child(String[] args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PledgeCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PLEDGE_JOURNAL_DIR", journal.toString());
        return pb.start();
    }

    /** Waits (bounded) until {@code condition} holds; fails early with the process's output if it ends first. */
    private static void await(BooleanSupplier condition, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("the other run ended first (exit " + process.exitValue() + "):\n"
                        + new String(process.getInputStream().readAllBytes()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the other run");
            }
            Thread.sleep(20);
        }
    }
}
