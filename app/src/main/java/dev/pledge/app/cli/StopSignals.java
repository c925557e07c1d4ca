package dev.pledge.app.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM for {@code pledge serve}: run the orderly stop instead of the JVM's
 * shutdown hooks, which would stop the embedded PostgreSQL at the same time as the service using
 * it. A second signal while stopping ends the process at once.
 */
final class StopSignals {
    private StopSignals() {
    }

    static void install(Runnable stop) {
        Thread[] stopping = new Thread[1];
        SignalHandler handler = signal -> {
            synchronized (stopping) {
                if (stopping[0] != null) {
                    System.err.println("pledge serve: stopping now (second " + signal.getName() + ")");
                    Runtime.getRuntime().halt(130);
                }
                System.err.println("pledge serve: stopping (running items finish or stay leased; "
                        + "press Ctrl-C again to stop at once)");
                stopping[0] = new Thread(stop, "pledge-serve-stop");
                stopping[0].start();
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
