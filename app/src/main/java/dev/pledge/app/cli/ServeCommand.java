package dev.pledge.app.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Not built yet.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliFailure(ExitCode.INTERNAL, "not built yet");
    }
}
