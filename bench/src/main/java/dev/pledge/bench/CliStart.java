package dev.pledge.bench;

import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "cli-start", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class CliStart extends ScenarioCommand {

    @Override
    String name() {
        return "cli-start";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) {
        throw new UnsupportedOperationException("cli-start is not implemented yet");
    }
}
