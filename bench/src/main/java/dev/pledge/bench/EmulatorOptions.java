package dev.pledge.bench;

import picocli.CommandLine.Option;

import java.net.URI;

/** Which emulator the executors talk to: one started in this JVM (the default), or a running one. */
final class EmulatorOptions {

    @Option(names = "--emulator-url", paramLabel = "<url>",
            description = "Use the emulator already running at this loopback URL (e.g. `pledge emulator --port 4566`) "
                    + "instead of starting one in this JVM.")
    URI url;

    @Option(names = "--latency-ms", defaultValue = "-1", paramLabel = "<ms>",
            description = "Latency the emulator adds to every call. Default: the scenario's (0 unless stated).")
    long latencyMs;
}
