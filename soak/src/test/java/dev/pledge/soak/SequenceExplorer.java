package dev.pledge.soak;

import dev.pledge.soak.ExplorerSequence.Event;
import dev.pledge.soak.ExplorerSequence.Round;
import dev.pledge.soak.SequenceRunner.Result;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs given sequence seeds and N generated sequences, shrinks the first failure of
 * each kind by dropping events while it still fails the same way, and prints every failure with
 * its seed and its events so it can be replayed.
 */
final class SequenceExplorer {

    /** What a run found. */
    record Report(long seed, int sequences, int failedSequences, Map<String, Integer> firstSequenceByCategory,
                  Map<String, Integer> sequencesByCategory, List<String> failures, long millis) {

        String summary() {
            StringBuilder s = new StringBuilder();
            s.append("explore: ").append(sequences).append(" sequence(s) run, ").append(failedSequences)
                    .append(" with problems, seed ").append(seed).append(", ").append(millis / 1000).append(" s\n");
            firstSequenceByCategory.forEach((c, n) -> s.append("explore: ").append(c).append(": first in sequence #")
                    .append(n).append(", in ").append(sequencesByCategory.get(c)).append(" sequence(s)\n"));
            if (failedSequences == 0) {
                s.append("explore: no problems found\n");
            } else {
                s.append("explore: replay one sequence with scripts/explore --replay <its sequence seed> (printed with "
                        + "each problem above)\n");
            }
            return s.toString();
        }
    }

    private final SequenceRunner runner;
    private final SequenceGenerator generator;
    private final PrintStream out;
    private final int shrinkRuns;

    SequenceExplorer(SequenceRunner runner, SequenceGenerator generator, PrintStream out, int shrinkRuns) {
        this.runner = runner;
        this.generator = generator;
        this.out = out;
        this.shrinkRuns = shrinkRuns;
    }

    /** The sequences with these sequence seeds, then sequences 1..n of master seed {@code seed}. */
    Report explore(List<Long> sequenceSeeds, long seed, int n) throws InterruptedException {
        List<Long> all = new ArrayList<>(sequenceSeeds);
        for (int i = 1; i <= n; i++) {
            all.add(SequenceGenerator.runSequenceSeed(seed, i));
        }
        return run(seed, all);
    }

    private Report run(long seed, List<Long> seeds) throws InterruptedException {
        int n = seeds.size();
        long started = System.nanoTime();
        Map<String, Integer> first = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int failed = 0;
        for (int i = 1; i <= n; i++) {
            long sequenceSeed = seeds.get(i - 1);
            ExplorerSequence s = generator.generate(sequenceSeed);
            long t0 = System.nanoTime();
            Result r = runner.run(s);
            out.println("explore: sequence #" + i + " seed " + sequenceSeed + ": " + (r.failed() ? "PROBLEM "
                    + r.categories() : "ok") + " (" + (s.cli() ? "CLI, " : "") + s.items().size() + " item(s), "
                    + s.rounds().size() + " round(s), " + s.events() + " event(s), "
                    + java.time.Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms)");
            if (!r.failed() && Boolean.getBoolean("explore.trace")) {
                out.print(describe(i, r, "").replaceFirst("PROBLEM in", "trace of"));
            }
            out.flush();
            if (!r.failed()) {
                continue;
            }
            failed++;
            String newKind = null;
            for (String c : r.categories()) {
                count.merge(c, 1, Integer::sum);
                if (first.putIfAbsent(c, i) == null && newKind == null) {
                    newKind = c;
                }
            }
            String text = describe(i, r, "");
            if (newKind != null && shrinkRuns > 0) {
                Result smaller = shrink(r, newKind);
                if (smaller.sequence().events() < s.events()) {
                    text += describe(i, smaller, "shrunk ");
                }
            }
            failures.add(text);
            out.print(text);
            out.flush();
        }
        return new Report(seed, n, failed, first, count, failures,
                java.time.Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Drops one event at a time, and trailing rounds, keeping each drop after which problem {@code kind} remains. */
    private Result shrink(Result failing, String kind) throws InterruptedException {
        Result best = failing;
        int runs = 0;
        boolean progress = true;
        while (progress && runs < shrinkRuns) {
            progress = false;
            ExplorerSequence s = best.sequence();
            List<ExplorerSequence> candidates = new ArrayList<>();
            if (s.rounds().size() > 1) {
                candidates.add(new ExplorerSequence(s.seed(), s.items(), s.rounds().subList(0, s.rounds().size() - 1)));
            }
            for (int r = 0; r < s.rounds().size(); r++) {
                for (Event e : s.rounds().get(r).events()) {
                    List<Round> rounds = new ArrayList<>(s.rounds());
                    rounds.set(r, rounds.get(r).without(e));
                    candidates.add(new ExplorerSequence(s.seed(), s.items(), List.copyOf(rounds)));
                }
            }
            for (ExplorerSequence candidate : candidates) {
                if (runs++ >= shrinkRuns) {
                    break;
                }
                Result r = runner.run(candidate);
                if (r.categories().contains(kind)) {
                    best = r;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    private static String describe(int index, Result r, String prefix) {
        StringBuilder s = new StringBuilder();
        s.append("explore: ").append(prefix).append("PROBLEM in sequence #").append(index).append(" (sequence seed ")
                .append(r.sequence().seed()).append(")\n");
        r.findings().forEach(f -> s.append("  ! ").append(f).append('\n'));
        s.append("  sequence:\n").append(r.sequence().describe());
        s.append("  what happened:\n");
        r.trace().forEach(t -> s.append("    ").append(t).append('\n'));
        if (prefix.isEmpty()) {
            s.append("  replay: scripts/explore --replay ").append(r.sequence().seed()).append('\n');
        }
        return s.toString();
    }
}
