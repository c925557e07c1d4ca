package dev.pledge.soak;

import dev.pledge.app.cli.ExplorerCli;
import dev.pledge.app.cli.ExplorerCli.Run;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.soak.ExplorerInvariants.Finding;
import dev.pledge.soak.ExplorerSequence.Arm;
import dev.pledge.soak.ExplorerSequence.Concurrent;
import dev.pledge.soak.ExplorerSequence.Event;
import dev.pledge.soak.ExplorerSequence.Round;
import dev.pledge.soak.SequenceRunner.Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Plays one CLI sequence: {@code pledge buy --yes --token T} through the CLI's own entry point, in-process,
 * against the explorer's emulator ({@code --endpoint}), with {@code PLEDGE_JOURNAL_DIR} a fresh directory of the
 * sequence, for one commitment in a fresh account. Each round arms its faults and runs once, or several runs at
 * once on their own threads; then the sequence settles (faults cleared, the same command again until a run exits
 * 0, at most {@link SequenceRunner#SETTLE_REDRIVES} times), and {@link CliInvariants} are checked after every round
 * and once settled. Every re-run is what the runs before advised: the same command, token and journal.
 */
final class CliSequenceRunner {
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(90);

    private final ExplorerWorld world;

    CliSequenceRunner(ExplorerWorld world) {
        this.world = world;
    }

    Result run(ExplorerSequence s) throws InterruptedException {
        List<String> trace = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        world.emulator.clearFaults();
        world.skewCloudClock(Duration.ZERO);
        NewItem item = s.items().get(0);
        CommitmentType type = CommitmentType.fromSlug("type", item.type());
        String account = newAccount(type.cloud());
        boolean lookupGuarded = TypeCalls.of(type).lookupGuarded();
        Path journal = journalDirectory();
        String token = "EXPLORE-" + Long.toHexString(s.seed());
        List<String> args = arguments(item, account, token);
        Map<String, String> env = Map.of("PLEDGE_JOURNAL_DIR", journal.toString());
        List<Run> all = new ArrayList<>();
        Run lastOk = null;
        try {
            for (int r = 0; r < s.rounds().size(); r++) {
                Round round = s.rounds().get(r);
                int runs = 1;
                for (Event e : round.events()) {
                    if (e instanceof Arm arm) {
                        arm.faults().forEach(world.emulator::inject);
                    } else if (e instanceof Concurrent c) {
                        runs = c.runs();
                        world.emulator.inject(FaultSpec.delay(type.cloud(), type.slug(), TypeCalls.of(type).purchase(),
                                c.runs(), c.slowMs()));
                    }
                }
                int before = commitments(type, account).size();
                List<Run> done = runAtOnce(runs, env, args);
                int after = commitments(type, account).size();
                all.addAll(done);
                for (Run d : done) {
                    if (d.exitCode() == 0) {
                        lastOk = d;
                    }
                }
                trace.add("round " + r + ": " + (runs == 1 ? "run" : runs + " runs at once") + " -> "
                        + done.stream().map(CliSequenceRunner::brief).toList() + "; commitments " + after);
                for (Finding f : CliInvariants.round(done, before, after, journal.toString(), lookupGuarded)) {
                    findings.add(new Finding(f.category(), "after round " + r + ": " + f.message()));
                }
            }
            world.emulator.clearFaults();
            Run last = null;
            for (int n = 0; n < SequenceRunner.SETTLE_REDRIVES && (last == null || last.exitCode() != 0); n++) {
                int before = commitments(type, account).size();
                last = runAtOnce(1, env, args).get(0);
                int after = commitments(type, account).size();
                all.add(last);
                trace.add("settle " + n + ": run -> " + brief(last) + "; commitments " + after);
                for (Finding f : CliInvariants.round(List.of(last), before, after, journal.toString(), lookupGuarded)) {
                    findings.add(new Finding(f.category(), "settle " + n + ": " + f.message()));
                }
            }
            if (last != null && last.exitCode() == 0) {
                lastOk = last;
            } else {
                lastOk = null;
            }
            List<Commitment> held = commitments(type, account);
            trace.add("settled: " + held.size() + " commitment(s) " + held.stream().map(Commitment::id).toList());
            findings.addAll(CliInvariants.settled(all, lastOk, held).stream()
                    .map(f -> new Finding(f.category(), "settled: " + f.message())).toList());
        } finally {
            deleteRecursively(journal);
        }
        return new Result(s, trace, findings);
    }

    /** {@code runs} runs of the command started together, each on its own thread; their results in start order. */
    private static List<Run> runAtOnce(int runs, Map<String, String> env, List<String> args)
            throws InterruptedException {
        if (runs == 1) {
            return List.of(ExplorerCli.run(env, args.toArray(String[]::new)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(runs, r -> {
            Thread t = new Thread(r, "explore-cli-run");
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Run>> futures = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return ExplorerCli.run(env, args.toArray(String[]::new));
                }));
            }
            go.countDown();
            List<Run> out = new ArrayList<>();
            for (Future<Run> f : futures) {
                try {
                    out.add(f.get(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    out.add(new Run(1, "", "the run threw " + e.getCause()));
                } catch (TimeoutException e) {
                    out.add(new Run(1, "", "the run did not end within " + RUN_DEADLINE));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The command as a user types it for this item. */
    private List<String> arguments(NewItem item, String account, String token) {
        List<String> a = new ArrayList<>(List.of("buy", "--type", item.type(), "--account", account, "--region",
                item.region(), "--offering", item.offering(), "--count", String.valueOf(item.quantity()), "--term",
                item.term()));
        if (item.payment() != null) {
            a.addAll(List.of("--payment", item.payment()));
        }
        item.attributes().forEach((k, v) -> a.addAll(List.of("--attribute", k + "=" + v)));
        a.addAll(List.of("--endpoint", world.emulator.baseUrl().toString(), "--yes", "--token", token));
        return List.copyOf(a);
    }

    private List<Commitment> commitments(CommitmentType type, String account) {
        return world.emulator.state().commitments(c -> c.type().equals(type.slug()) && c.account() != null
                && java.util.Arrays.asList(c.account().split("/")).contains(account));
    }

    private static String newAccount(Cloud cloud) {
        int n = ACCOUNTS.incrementAndGet();
        return switch (cloud) {
            case AWS -> String.format("7%011d", n);
            case AZURE -> String.format("c11e0000-0000-4000-8000-%012d", n);
            case GCP -> "explore-cli-project-" + n;
        };
    }

    private static String brief(Run r) {
        String text = (r.out() + r.err()).strip();
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        // the plan printed before buying is not what happened: show the outcome line
        for (String line : text.split("\n")) {
            if (line.startsWith("Bought ") || line.startsWith("Already owned") || line.startsWith("Recovered ")
                    || line.startsWith("Outcome unknown") || line.startsWith("Refused") || line.startsWith("Nothing")) {
                first = line;
                break;
            }
        }
        return "exit " + r.exitCode() + " \"" + (first.length() > 160 ? first.substring(0, 160) + "..." : first) + "\"";
    }

    private static Path journalDirectory() {
        try {
            return Files.createTempDirectory("pledge-explore-cli-journal-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
