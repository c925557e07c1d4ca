package dev.pledge.bench;

import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "approval-latency", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class ApprovalLatency extends ScenarioCommand {

    @Override
    String name() {
        return "approval-latency";
    }

    @Override
    List<JsonLine> runOnce(RunContext context) {
        throw new UnsupportedOperationException("approval-latency is not implemented yet");
    }
}
