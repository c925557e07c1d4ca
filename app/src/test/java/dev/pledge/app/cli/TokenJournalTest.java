package dev.pledge.app.cli;

import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.PurchaseGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token journal on a real file system: what survives a crash, what a later run reads, who waits. */
class TokenJournalTest {
    private static final CommitmentRequest EC2 = CommitmentRequest.parse("aws-ec2", "111122223333", "us-east-1",
            "m5.large", 2, "1y", "no-upfront", Map.of());
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Runnable NO_WAIT = () -> {
        throw new AssertionError("nobody else holds the journal");
    };

    @TempDir
    Path dir;

    private TokenJournal open(Instant now) throws IOException {
        return TokenJournal.open(dir, EC2, "CHG-1", now, NO_WAIT);
    }

    private Path file() {
        return dir.resolve(TokenJournal.fileName(EC2, "CHG-1"));
    }

    @Test
    void a_start_is_on_disk_before_the_call_and_a_run_that_never_recorded_its_outcome_stays_a_possible_purchase()
            throws IOException {
        try (TokenJournal first = open(T0)) {
            assertThat(first.attempts()).isEmpty();
            first.recordStart(T0.plusSeconds(1));
            // the run dies here: no outcome
        }
        try (TokenJournal second = open(T0.plusSeconds(600))) {
            assertThat(second.attempts()).containsExactly(Attempt.unfinished(T0.plusSeconds(1)));
            int n = second.recordStart(T0.plusSeconds(601));
            second.recordOutcome(n, T0.plusSeconds(605), TokenJournal.Outcome.unknown("unknown"));
        }
        try (TokenJournal third = open(T0.plusSeconds(700))) {
            assertThat(third.attempts()).containsExactlyInAnyOrder(Attempt.unfinished(T0.plusSeconds(1)),
                    new Attempt(T0.plusSeconds(601), T0.plusSeconds(605), true));
            assertThat(third.owned()).isEmpty();
            int n = third.recordStart(T0.plusSeconds(701));
            third.recordOutcome(n, T0.plusSeconds(702), TokenJournal.Outcome.held("owned", false, "r-1", "k", false));
        }
        try (TokenJournal fourth = open(T0.plusSeconds(800))) {
            assertThat(fourth.attempts()).contains(new Attempt(T0.plusSeconds(701), T0.plusSeconds(702), false));
            assertThat(fourth.owned()).contains(new TokenJournal.Recorded("r-1", "k", T0.plusSeconds(702), false));
        }
    }

    @Test
    void a_line_cut_short_by_a_crash_is_an_unfinished_attempt_from_the_files_last_change_for_every_later_run()
            throws IOException {
        try (TokenJournal j = open(T0)) {
            int n = j.recordStart(T0.plusSeconds(1));
            j.recordOutcome(n, T0.plusSeconds(2), TokenJournal.Outcome.nothingBought("rejected"));
        }
        Files.writeString(file(), "start 2 2026-12-04T11:0", StandardOpenOption.APPEND); // no checksum, no newline
        Instant crash = Instant.parse("2026-12-04T11:00:05Z");
        Files.setLastModifiedTime(file(), FileTime.from(crash));

        try (TokenJournal afterCrash = open(crash.plusSeconds(30))) {
            assertThat(afterCrash.attempts()).contains(Attempt.unfinished(crash));
            int n = afterCrash.recordStart(crash.plusSeconds(31));
            afterCrash.recordOutcome(n, crash.plusSeconds(40), TokenJournal.Outcome.nothingBought("guard-undecided"));
        }
        try (TokenJournal later = open(crash.plusSeconds(3600))) {
            // the damaged line is no longer the last, and its time is no longer the file's: the lost record kept it
            assertThat(later.attempts()).contains(Attempt.unfinished(crash),
                    new Attempt(crash.plusSeconds(31), crash.plusSeconds(40), false));
        }
        List<String> lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("journal 1 ");
        assertThat(lines.get(3)).isEqualTo("start 2 2026-12-04T11:0");
        assertThat(lines.get(4)).startsWith("lost 4 2026-12-04T11%3A00%3A05Z *");
    }

    @Test
    void a_line_with_a_wrong_checksum_at_the_end_is_a_possible_purchase_too() throws IOException {
        try (TokenJournal j = open(T0)) {
            j.recordStart(T0.plusSeconds(1));
        }
        String text = Files.readString(file());
        Files.writeString(file(), text.substring(0, text.length() - 3) + "00\n"); // the start's checksum is wrong
        Files.setLastModifiedTime(file(), FileTime.from(T0.plusSeconds(2)));

        try (TokenJournal j = open(T0.plusSeconds(60))) {
            assertThat(j.attempts()).containsExactly(Attempt.unfinished(T0.plusSeconds(2)));
        }
    }

    @Test
    void a_damaged_line_before_the_last_is_refused_naming_the_file_and_line() throws IOException {
        try (TokenJournal j = open(T0)) {
            int n = j.recordStart(T0.plusSeconds(1));
            j.recordOutcome(n, T0.plusSeconds(2), TokenJournal.Outcome.unknown("unknown"));
        }
        List<String> lines = Files.readAllLines(file());
        lines.set(1, lines.get(1).replace("start 1", "start 7"));
        Files.write(file(), lines);

        assertThatThrownBy(() -> open(T0.plusSeconds(60)))
                .isInstanceOf(IOException.class).hasMessageContaining(file().toString()).hasMessageContaining("line 2");
    }

    @Test
    void a_second_run_with_the_token_waits_says_so_and_then_reads_the_first_runs_record() throws Exception {
        TokenJournal first = open(T0);
        CountDownLatch told = new CountDownLatch(1);
        CompletableFuture<List<Attempt>> second = CompletableFuture.supplyAsync(() -> {
            try (TokenJournal j = TokenJournal.open(dir, EC2, "CHG-1", T0.plusSeconds(5), told::countDown)) {
                return j.attempts();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(told.await(30, TimeUnit.SECONDS)).isTrue();
        int n = first.recordStart(T0.plusSeconds(1));
        first.recordOutcome(n, T0.plusSeconds(3), TokenJournal.Outcome.held("bought", true, "r-9", "k", false));
        assertThat(second).isNotDone();
        first.close();

        assertThat(second.get(30, TimeUnit.SECONDS)).containsExactly(new Attempt(T0.plusSeconds(1),
                T0.plusSeconds(3), true));
    }

    @Test
    void the_gate_refuses_once_the_lock_is_gone_the_file_was_replaced_or_the_guard_overran_its_budget()
            throws IOException {
        Clock clock = Clock.fixed(T0.plusSeconds(10), ZoneOffset.UTC);
        TokenJournal j = open(T0);
        j.gate(T0, Duration.ofSeconds(60), clock).check();

        PurchaseGate late = j.gate(T0, Duration.ofSeconds(5), clock);
        assertThatThrownBy(late::check).isInstanceOf(GuardUndecidedException.class).hasMessageContaining("PT5S");

        Files.move(file(), dir.resolve("moved-away"));
        Files.writeString(file(), "");
        assertThatThrownBy(() -> j.gate(T0, Duration.ofSeconds(60), clock).check())
                .isInstanceOf(GuardUndecidedException.class).hasMessageContaining("replaced");

        PurchaseGate kept = j.gate(T0, Duration.ofSeconds(60), clock);
        j.close();
        assertThatThrownBy(kept::check).isInstanceOf(GuardUndecidedException.class)
                .hasMessageContaining("lock was released");
    }

    @Test
    void the_file_name_is_a_hash_of_type_account_and_token() {
        String name = TokenJournal.fileName(EC2, "CHG-1");
        assertThat(name).matches("[0-9a-f]{64}\\.journal").doesNotContain("CHG");
        assertThat(TokenJournal.fileName(EC2, "CHG-2")).isNotEqualTo(name);
        CommitmentRequest otherAccount = CommitmentRequest.parse("aws-ec2", "999922223333", "us-east-1", "m5.large",
                2, "1y", "no-upfront", Map.of());
        CommitmentRequest otherType = CommitmentRequest.parse("aws-rds", "111122223333", "us-east-1",
                "db.r6g.large", 2, "1y", "no-upfront", Map.of());
        assertThat(TokenJournal.fileName(otherAccount, "CHG-1")).isNotEqualTo(name);
        assertThat(TokenJournal.fileName(otherType, "CHG-1")).isNotEqualTo(name);
        // same type, account and token, another region: the same journal (and a refusal as another purchase)
        CommitmentRequest otherRegion = CommitmentRequest.parse("aws-ec2", "111122223333", "eu-west-1", "m5.large",
                2, "1y", "no-upfront", Map.of());
        assertThat(TokenJournal.fileName(otherRegion, "CHG-1")).isEqualTo(name);
    }
}
