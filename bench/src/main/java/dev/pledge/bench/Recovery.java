package dev.pledge.bench;

import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "recovery", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class Recovery extends ScenarioCommand {

    @Override
    String name() {
        return "recovery";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) {
        throw new UnsupportedOperationException("recovery is not implemented yet");
    }
}
