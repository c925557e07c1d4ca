package dev.pledge.gcp.recording;

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
 * Records every HTTP request the GCP executor sends during this module's tests, whatever answers
 * it (WireMock stubs or the emulator), as {@code METHOD /path} lines in
 * {@code target/cloud-operations/gcp-requests.txt}, for the permission cross-check in infra/
 * (CloudPermissionsTest).
 *
 * <p>The Compute client's HTTP/JSON transport runs on google-http-client, which logs each request
 * ({@code -------------- REQUEST --------------} then {@code <METHOD> <url>}) on the
 * {@code com.google.api.client.http.HttpTransport} logger at CONFIG. JUnit instantiates this
 * extension before any test runs (auto-detection, src/test/resources/junit-platform.properties);
 * it turns that logger on for this recorder only, never for the test output. A problem writing
 * the file is printed and never fails a test.
 */
public final class CloudRequestRecorder implements BeforeAllCallback {
    static final String FILE = "gcp-requests.txt";
    private static final Pattern REQUEST = Pattern.compile("(?m)^(GET|POST|PUT|PATCH|DELETE|HEAD) (https?://\\S+)");
    private static final RecordedOperations OPERATIONS = new RecordedOperations(FILE, CloudRequestRecorder.class);
    // JUL holds loggers weakly: keep ours, with its handler, for the life of the test JVM
    private static final Logger TRANSPORT_LOG = Logger.getLogger("com.google.api.client.http.HttpTransport");

    static {
        TRANSPORT_LOG.setUseParentHandlers(false);
        TRANSPORT_LOG.setLevel(Level.CONFIG);
        TRANSPORT_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = String.valueOf(record.getMessage());
                if (message.contains("REQUEST")) {
                    Matcher m = REQUEST.matcher(message);
                    if (m.find()) {
                        record(m.group(1), m.group(2));
                    }
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
