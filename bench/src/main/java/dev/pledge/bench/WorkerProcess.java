package dev.pledge.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One Pledge engine in its own JVM (web server off), started and killed by the recovery scenario.
 * It prints {@value #READY} once the engine runs, and exits when its parent goes away (stdin closes),
 * so a crashed benchmark leaves no worker behind.
 */
@Command(name = "worker", hidden = true, description = "Internal: one Pledge engine process for the recovery scenario.")
final class WorkerProcess implements Callable<Integer> {
    static final String READY = "PLEDGE-BENCH-WORKER-READY";

    @Option(names = "--app", paramLabel = "<property=value>", description = "A Spring property (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        try (AppUnderTest app = AppUnderTest.start(properties)) {
            System.err.println(READY + " pid " + ProcessHandle.current().pid());
            System.err.flush();
            while (System.in.read() >= 0) {
                // the parent holds our stdin open for as long as it wants us to run
            }
            System.err.println("stdin closed: stopping");
        }
        return 0;
    }
}
