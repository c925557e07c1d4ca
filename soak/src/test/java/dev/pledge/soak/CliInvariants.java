package dev.pledge.soak;

import dev.pledge.app.cli.ExplorerCli.Run;
import dev.pledge.emulator.Commitment;
import dev.pledge.soak.ExplorerInvariants.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invariants of a CLI sequence ({@code pledge buy --yes --token T} run, re-run and run concurrently with one
 * token and one journal): pure, each shown to fire in {@code CliInvariantsTest}.
 */
final class CliInvariants {
    private static final Pattern BOUGHT = Pattern.compile("(?m)^Bought (\\S+)");
    /** Recovered: this run's own earlier try (its answer lost) bought it and the run found it by our key. */
    private static final Pattern BOUGHT_OR_RECOVERED = Pattern.compile("(?m)^(?:Bought|Recovered) \\S+");
    private static final Pattern HELD = Pattern.compile("(?m)^(?:Bought |Already owned: |Recovered )(\\S+)");

    private CliInvariants() {
    }

    /** GCP prints the commitment's resource path, whose last segment is our key. */
    private static boolean names(String printed, String idOrKey) {
        return idOrKey != null && (printed.equals(idOrKey) || printed.endsWith("/" + idOrKey));
    }

    /** The id as printed, without the sentence's full stop or colon after it. */
    private static String id(String printed) {
        return printed.replaceAll("[.:]$", "");
    }

    /**
     * After one round: every exit 4 gives advice that is true (re-run with the same token and the same journal,
     * which the explorer then does); no run ended in a usage or internal error; and the round's new commitments
     * are no more than its runs that said they bought, recovered or may have bought (exit 4): a run that said "nothing was
     * bought" did not buy.
     *
     * @param journalDir the journal directory every run used
     * @param lookupGuarded EC2 and Redshift: the advice must say that only the journal lets a re-run recognise it
     */
    static List<Finding> round(List<Run> runs, int commitmentsBefore, int commitmentsAfter, String journalDir,
                               boolean lookupGuarded) {
        List<Finding> out = new ArrayList<>();
        int mayHaveBought = 0;
        for (Run r : runs) {
            if (r.exitCode() == 4) {
                mayHaveBought++;
                if (!r.err().contains("same --token") || !r.err().contains(journalDir)
                        || (lookupGuarded && !r.err().contains("only the journal"))) {
                    out.add(new Finding("cli-advice", "a run exited 4 without advising a re-run with the same token "
                            + "and journal (" + journalDir + "): " + r));
                }
            } else if (r.exitCode() == 0 && BOUGHT_OR_RECOVERED.matcher(r.out()).find()) {
                mayHaveBought++;
            } else if (r.exitCode() != 0 && r.exitCode() != 3) {
                out.add(new Finding("cli-error", "a run ended in exit " + r.exitCode() + ": " + r));
            }
        }
        int bought = commitmentsAfter - commitmentsBefore;
        if (bought > mayHaveBought) {
            out.add(new Finding("cli-untold-purchase", bought + " commitment(s) appeared while only " + mayHaveBought
                    + " of the round's " + runs.size() + " run(s) said it bought, recovered or may have bought (exit 4): "
                    + runs));
        }
        return out;
    }

    /**
     * Once settled (faults cleared, re-runs until one exited 0): exactly one commitment in the account, no two
     * runs said "Bought", and the last run names the commitment the cloud holds.
     *
     * @param last the run that exited 0, or null when none did
     */
    static List<Finding> settled(List<Run> all, Run last, List<Commitment> commitments) {
        List<Finding> out = new ArrayList<>();
        if (commitments.size() > 1) {
            out.add(new Finding("cli-double-buy", "the account holds " + commitments.size()
                    + " commitments bought by runs with one token: " + commitments.stream().map(Commitment::id)
                    .toList()));
        }
        List<String> boughtIds = new ArrayList<>();
        for (Run r : all) {
            Matcher m = BOUGHT.matcher(r.out());
            while (m.find()) {
                boughtIds.add(id(m.group(1)));
            }
        }
        if (boughtIds.size() > 1) {
            out.add(new Finding("cli-bought-twice", boughtIds.size() + " runs with one token printed \"Bought\": "
                    + boughtIds));
        }
        if (last == null) {
            out.add(new Finding("cli-unsettled", "no re-run with the same token exited 0 once faults were cleared"));
        } else if (commitments.size() == 1) {
            Commitment c = commitments.get(0);
            Matcher m = HELD.matcher(last.out());
            String named = m.find() ? id(m.group(1)) : null;
            if (named == null || !(names(named, c.id()) || names(named, c.key()))) {
                out.add(new Finding("cli-wrong-commitment", "the last run names " + named + " but the cloud holds "
                        + c.id() + (c.key() == null ? "" : " (key " + c.key() + ")") + ": " + last));
            }
        } else if (commitments.isEmpty()) {
            out.add(new Finding("cli-nothing-held", "a run exited 0 but the account holds no commitment: " + last));
        }
        return out;
    }
}
