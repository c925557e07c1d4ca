package dev.pledge.app.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Run in a fresh JVM by {@code CommandLineStartTest}: sets up logging as {@code pledge}'s main does,
 * then prints whether java.util.logging was initialized by that, and what a library logging through
 * it afterwards gets (the root level, and whether INFO and WARNING pass).
 */
public final class JulProbe {
    public static void main(String[] args) {
        CliLogging.warningsToStderr();
        System.out.println("config-class=" + System.getProperty(CliLogging.JUL_CONFIG_CLASS));
        Logger library = Logger.getLogger("com.example.Library");
        System.out.println("root=" + Logger.getLogger("").getLevel()
                + " info=" + library.isLoggable(Level.INFO) + " warning=" + library.isLoggable(Level.WARNING));
    }

    private JulProbe() {
    }
}
