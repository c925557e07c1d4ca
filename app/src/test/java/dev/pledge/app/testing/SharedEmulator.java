package dev.pledge.app.testing;

import dev.pledge.emulator.Emulator;

/** One emulator per test JVM for the Spring tests (starting one costs about a second). */
public final class SharedEmulator {
    private static volatile Emulator emulator;

    private SharedEmulator() {
    }

    public static Emulator get() {
        Emulator e = emulator;
        if (e == null) {
            synchronized (SharedEmulator.class) {
                e = emulator;
                if (e == null) {
                    e = Emulator.builder().build().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(e::close, "emulator-stop"));
                    emulator = e;
                }
            }
        }
        return e;
    }
}
