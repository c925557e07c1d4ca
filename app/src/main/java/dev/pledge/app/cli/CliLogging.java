package dev.pledge.app.cli;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Logging for the plain-Java commands: warnings and errors only, one line each on stderr, so that
 * stdout carries nothing but the command's output ({@code --output json} relies on it). A tiny
 * SLF4J provider instead of Logback, because configuring Logback costs a tenth of a second of
 * start time. {@code serve} leaves logging to Spring Boot.
 */
public final class CliLogging implements SLF4JServiceProvider {
    private final ILoggerFactory loggers = new Loggers();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Must run before anything asks SLF4J for a logger. */
    static void warningsToStderr() {
        System.setProperty("slf4j.internal.verbosity", "WARN");
        System.setProperty("slf4j.provider", CliLogging.class.getName());
        org.slf4j.LoggerFactory.getILoggerFactory();
        // WireMock's shaded copy of SLF4J reads the same property and cannot use this provider.
        System.clearProperty("slf4j.provider");
        julWarningsOnly();
    }

    /**
     * java.util.logging at WARNING and above, as the JDK's default configuration is otherwise. Set
     * when something first uses java.util.logging rather than now: initializing it makes the JDK look
     * for a {@code System.LoggerFinder} service on the whole class path, which opens every one of the
     * ~200 jars of the launcher's layout (about 60 ms; help, usage errors and --version need none of
     * them, and the AWS commands use no java.util.logging). The JDK reads {@code java.util.logging.config.class} when it initializes
     * java.util.logging, from the system class loader; where that loader cannot see this class (the
     * Spring Boot jar) or java.util.logging is already in use, the level is set now, as before.
     */
    static void julWarningsOnly() {
        if (CliLogging.class.getClassLoader() == ClassLoader.getSystemClassLoader()
                && System.getProperty(JUL_CONFIG_CLASS) == null && System.getProperty(JUL_CONFIG_FILE) == null) {
            System.setProperty(JUL_CONFIG_CLASS, JulConfiguration.class.getName());
        } else {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
    }

    static final String JUL_CONFIG_CLASS = "java.util.logging.config.class";
    private static final String JUL_CONFIG_FILE = "java.util.logging.config.file";

    /**
     * Instantiated by java.util.logging's LogManager as it initializes (see {@link #julWarningsOnly()}):
     * reads the JDK's default configuration ({@code conf/logging.properties}) with the root level at
     * WARNING, the way the JDK documents for a configuration class.
     */
    public static final class JulConfiguration {
        public JulConfiguration() throws java.io.IOException {
            java.util.logging.LogManager.getLogManager().readConfiguration(warningsOnly(
                    java.nio.file.Path.of(System.getProperty("java.home"), "conf", "logging.properties")));
        }

        /** The properties of {@code file} (none if it is missing), with {@code .level=WARNING}, as a stream. */
        static java.io.InputStream warningsOnly(java.nio.file.Path file) throws java.io.IOException {
            java.util.Properties properties = new java.util.Properties();
            if (java.nio.file.Files.isRegularFile(file)) {
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
                    properties.load(in);
                }
            }
            properties.setProperty(".level", java.util.logging.Level.WARNING.getName());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            properties.store(out, null);
            return new java.io.ByteArrayInputStream(out.toByteArray());
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class Loggers implements ILoggerFactory {
        private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, StderrLogger::new);
        }
    }

    /** WARN and ERROR to stderr; everything else dropped. */
    private static final class StderrLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        StderrLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            PrintStream err = System.err;
            err.println(level + " " + shortName + ": " + MessageFormatter.basicArrayFormat(pattern, arguments)
                    + (throwable == null ? "" : " (" + throwable + ")"));
        }
    }
}
