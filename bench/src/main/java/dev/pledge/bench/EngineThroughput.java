package dev.pledge.bench;

import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "engine-throughput", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class EngineThroughput extends ScenarioCommand {

    @Override
    String name() {
        return "engine-throughput";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) {
        throw new UnsupportedOperationException("engine-throughput is not implemented yet");
    }
}
