package dev.pledge.azure.recording;

import dev.pledge.common.recording.RecordedOperations;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records every HTTP request the Azure executors send during this module's tests, whatever
 * answers it (WireMock stubs or the emulator), as {@code METHOD /path} lines in
 * {@code target/cloud-operations/azure-requests.txt}, for the permission cross-check in infra/
 * (CloudPermissionsTest).
 *
 * <p>The executors' transport is the JDK HTTP client, which logs each request it sends
 * ({@code REQUEST: <uri> <method>}) when {@code jdk.httpclient.HttpClient.log} includes
 * {@code requests}. JUnit instantiates this extension before any test runs (auto-detection,
 * src/test/resources/junit-platform.properties), so the property is set before the client reads
 * it; the log goes only to this recorder, never to the test output. A problem writing the file is
 * printed and never fails a test.
 */
public final class CloudRequestRecorder implements BeforeAllCallback {
    static final String FILE = "azure-requests.txt";
    private static final Pattern REQUEST = Pattern.compile("REQUEST: (\\S+) ([A-Z]+)");
    private static final RecordedOperations OPERATIONS = new RecordedOperations(FILE, CloudRequestRecorder.class);
    // JUL holds loggers weakly: keep ours, with its handler, for the life of the test JVM
    private static final Logger HTTP_CLIENT_LOG = Logger.getLogger("jdk.httpclient.HttpClient");

    static {
        String current = System.getProperty("jdk.httpclient.HttpClient.log", "");
        if (!current.contains("requests") && !current.contains("all")) {
            System.setProperty("jdk.httpclient.HttpClient.log", current.isEmpty() ? "requests" : current + ",requests");
        }
        HTTP_CLIENT_LOG.setUseParentHandlers(false);
        HTTP_CLIENT_LOG.setLevel(Level.ALL);
        HTTP_CLIENT_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                Matcher m = REQUEST.matcher(String.valueOf(record.getMessage()));
                if (m.lookingAt()) {
                    record(m.group(2), m.group(1));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // nothing per class: the static initializer above does the work once per JVM
    }

    static void record(String method, String url) {
        OPERATIONS.recordRequest(method, url);
    }
}
