package dev.pledge.bench;

import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "api-throughput", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class ApiThroughput extends ScenarioCommand {

    @Override
    String name() {
        return "api-throughput";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) {
        throw new UnsupportedOperationException("api-throughput is not implemented yet");
    }
}
