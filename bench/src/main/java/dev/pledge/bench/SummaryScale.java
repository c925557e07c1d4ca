package dev.pledge.bench;

import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "summary-scale", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class SummaryScale extends ScenarioCommand {

    @Override
    String name() {
        return "summary-scale";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) {
        throw new UnsupportedOperationException("summary-scale is not implemented yet");
    }
}
