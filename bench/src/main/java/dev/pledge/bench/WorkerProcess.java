package dev.pledge.bench;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** A separate Pledge engine process, started (and killed) by the recovery scenario. */
@Command(name = "worker", hidden = true, description = "Internal: one Pledge engine process for the recovery scenario.")
final class WorkerProcess implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
