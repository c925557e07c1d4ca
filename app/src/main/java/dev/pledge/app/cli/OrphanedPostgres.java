package dev.pledge.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * When {@code pledge serve} is killed hard (SIGKILL, OOM), its embedded PostgreSQL keeps running,
 * orphaned, and holds the data directory, so the next start would refuse. Such a server is ours
 * beyond doubt only when it was started on our data directory and its parent is gone; then it is
 * asked to shut down (SIGTERM: PostgreSQL's smart shutdown, which has no clients left to wait for).
 * Anything else is left alone and reported by the start that follows.
 */
final class OrphanedPostgres {
    private OrphanedPostgres() {
    }

    /** Stops an orphaned embedded server on {@code dataDir}; true when one was stopped. */
    static boolean stop(Path dataDir) {
        Optional<ProcessHandle> server = pid(dataDir.resolve("postmaster.pid")).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.parent().map(parent -> parent.pid() == 1).orElse(true))
                .filter(p -> runsOn(p, dataDir));
        if (server.isEmpty()) {
            return false;
        }
        ProcessHandle p = server.get();
        System.err.println("pledge serve: stopping the embedded PostgreSQL (pid " + p.pid()
                + ") left running on " + dataDir + " by an earlier pledge serve that was killed");
        p.destroy();
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return !p.isAlive();
        }
        return true;
    }

    private static boolean runsOn(ProcessHandle p, Path dataDir) {
        String command = p.info().command().orElse("");
        String[] arguments = p.info().arguments().orElse(new String[0]);
        if (!command.endsWith("/postgres")) {
            return false;
        }
        String wanted = dataDir.toAbsolutePath().normalize().toString();
        for (int i = 0; i + 1 < arguments.length; i++) {
            if ("-D".equals(arguments[i]) && wanted.equals(Path.of(arguments[i + 1]).toAbsolutePath().normalize()
                    .toString())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Long> pid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
