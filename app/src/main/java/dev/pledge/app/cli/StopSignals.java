package dev.pledge.app.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the long-running commands ({@code pledge serve}, {@code pledge
 * emulator}): run the command's orderly stop, after which it returns and the process exits 0,
 * instead of the JVM's shutdown hooks, which exit 130 or 143 and, for {@code serve}, would stop the
 * embedded PostgreSQL at the same time as the service using it. A second signal while stopping
 * ends the process at once.
 */
final class StopSignals {
    private StopSignals() {
    }

    /**
     * @param command  the command's name, for the messages ({@code pledge serve})
     * @param stopping what the first signal prints (what happens to work in flight)
     * @param stop     the orderly stop; run on a thread of its own
     */
    static void install(String command, String stopping, Runnable stop) {
        Thread[] running = new Thread[1];
        SignalHandler handler = signal -> {
            synchronized (running) {
                if (running[0] != null) {
                    System.err.println(command + ": stopping now (second " + signal.getName() + ")");
                    Runtime.getRuntime().halt(130);
                }
                System.err.println(command + ": " + stopping);
                running[0] = new Thread(stop, command.replace(' ', '-') + "-stop");
                running[0].start();
            }
        };
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException unsupported) {
                // not on this platform: the JVM's shutdown hooks still stop everything
            }
        }
    }
}
