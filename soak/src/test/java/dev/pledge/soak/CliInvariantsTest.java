package dev.pledge.soak;

import dev.pledge.app.cli.ExplorerCli.Run;
import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Offering;
import dev.pledge.soak.ExplorerInvariants.Finding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each invariant of a CLI sequence, shown to fire on planted runs and to stay quiet on sound ones. */
class CliInvariantsTest {
    private static final String JOURNAL = "/tmp/pledge-explore-cli-journal-1";
    private static final Offering M5 = new Offering(Cloud.AWS, "aws-ec2", "us-east-1", "offer-m5", "m5.large", "1y",
            "no-upfront", "Linux/UNIX", "USD", BigDecimal.ZERO, BigDecimal.ONE, Map.of());
    private static final String ADVICE = "Outcome unknown: the purchase was sent and no answer came back (reset). It "
            + "may have been bought.\nTo settle it safely, run the same command again with the same --token and the "
            + "same journal (" + JOURNAL + "): it reads this attempt's record.\naws-ec2 takes no key of ours: only the "
            + "journal tells a re-run when this purchase was sent.";

    private static Commitment ri(String id) {
        return new Commitment(Cloud.AWS, "aws-ec2", "700000000001", "us-east-1", id, null, M5, 1, Map.of(),
                Instant.parse("2026-12-01T00:00:00Z"), "active", Map.of());
    }

    private static List<String> categories(List<Finding> findings) {
        return findings.stream().map(Finding::category).toList();
    }

    @Test
    void a_lost_answer_with_true_advice_then_an_adopting_rerun_is_sound() {
        Run lost = new Run(4, "", ADVICE);
        Run owned = new Run(0, "Already owned: ri-1. Nothing bought: an earlier run with this token bought it.\n", "");

        assertThat(CliInvariants.round(List.of(lost), 0, 1, JOURNAL, true)).isEmpty();
        assertThat(CliInvariants.round(List.of(owned), 1, 1, JOURNAL, true)).isEmpty();
        assertThat(CliInvariants.settled(List.of(lost, owned), owned, List.of(ri("ri-1")))).isEmpty();
    }

    @Test
    void exit_4_without_the_token_and_journal_advice_is_found() {
        Run vague = new Run(4, "", "Outcome unknown: the purchase was sent. Check the console before buying again.");
        Run otherJournal = new Run(4, "", ADVICE.replace(JOURNAL, "/home/someone/.pledge/cli-journal"));
        Run keyless = new Run(4, "", ADVICE.replace("only the journal", "the journal"));

        assertThat(categories(CliInvariants.round(List.of(vague), 0, 1, JOURNAL, false))).containsExactly("cli-advice");
        assertThat(categories(CliInvariants.round(List.of(otherJournal), 0, 1, JOURNAL, false)))
                .containsExactly("cli-advice");
        assertThat(categories(CliInvariants.round(List.of(keyless), 0, 1, JOURNAL, true))).containsExactly("cli-advice");
        assertThat(CliInvariants.round(List.of(keyless), 0, 1, JOURNAL, false)).isEmpty();
    }

    @Test
    void a_commitment_no_run_owned_up_to_is_found() {
        Run refused = new Run(3, "", "Refused by the cloud: denied\nNothing was bought; fix the request before trying again.");
        Run owned = new Run(0, "Already owned: ri-1. Nothing bought.\n", "");
        Run recovered = new Run(0, "Recovered ri-1 (key k): the cloud already had our key.\n", "");

        assertThat(categories(CliInvariants.round(List.of(refused), 0, 1, JOURNAL, true)))
                .containsExactly("cli-untold-purchase");
        assertThat(categories(CliInvariants.round(List.of(owned, owned), 1, 2, JOURNAL, true)))
                .containsExactly("cli-untold-purchase");
        assertThat(CliInvariants.round(List.of(recovered), 0, 1, JOURNAL, false)).isEmpty();
    }

    @Test
    void a_usage_or_internal_error_is_found() {
        assertThat(categories(CliInvariants.round(List.of(new Run(2, "", "Unknown option")), 0, 0, JOURNAL, false)))
                .containsExactly("cli-error");
        assertThat(categories(CliInvariants.round(List.of(new Run(1, "", "boom")), 0, 0, JOURNAL, false)))
                .containsExactly("cli-error");
    }

    @Test
    void two_commitments_or_two_runs_saying_bought_are_found() {
        Run first = new Run(0, "Bought ri-1.\n", "");
        Run second = new Run(0, "Bought ri-2.\n", "");

        List<Finding> findings = CliInvariants.settled(List.of(first, second), second, List.of(ri("ri-1"), ri("ri-2")));

        assertThat(categories(findings)).containsExactly("cli-double-buy", "cli-bought-twice");
        assertThat(findings.get(1).message()).contains("[ri-1, ri-2]");
    }

    @Test
    void no_settling_run_a_wrong_id_or_nothing_held_is_found() {
        Run owned = new Run(0, "Already owned: ri-9 (key k). Nothing bought.\n", "");

        assertThat(categories(CliInvariants.settled(List.of(), null, List.of(ri("ri-1")))))
                .containsExactly("cli-unsettled");
        assertThat(categories(CliInvariants.settled(List.of(owned), owned, List.of(ri("ri-1")))))
                .containsExactly("cli-wrong-commitment");
        assertThat(categories(CliInvariants.settled(List.of(owned), owned, List.of()))).containsExactly("cli-nothing-held");
        Commitment gcp = new Commitment(Cloud.GCP, "gcp-compute", "p", "europe-west4", "5436839912", "pledge-9f8a", M5, 1,
                Map.of(), Instant.parse("2026-12-01T00:00:00Z"), "active", Map.of());
        Run byPath = new Run(0, "Already owned: projects/p/regions/europe-west4/commitments/pledge-9f8a (key pledge-9f8a)."
                + " Nothing bought.\n", "");
        assertThat(CliInvariants.settled(List.of(byPath), byPath, List.of(gcp))).isEmpty();
        Run otherPath = new Run(0, "Already owned: projects/p/regions/europe-west4/commitments/pledge-0000.\n", "");
        assertThat(categories(CliInvariants.settled(List.of(otherPath), otherPath, List.of(gcp))))
                .containsExactly("cli-wrong-commitment");
    }
}
