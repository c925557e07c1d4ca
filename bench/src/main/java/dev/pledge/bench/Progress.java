package dev.pledge.bench;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Human-readable progress on stderr; stdout carries only the JSON result lines. */
public final class Progress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Progress() {
    }

    public static void say(String format, Object... args) {
        System.err.println("[bench " + LocalTime.now().format(TIME) + "] " + String.format(format, args));
        System.err.flush();
    }
}
