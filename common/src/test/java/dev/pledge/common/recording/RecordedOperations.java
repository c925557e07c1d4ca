package dev.pledge.common.recording;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cloud operations a provider module's tests sent, one distinct line each, kept sorted in
 * {@code target/cloud-operations/<file>} of that module, for the permission cross-check in infra/
 * (CloudPermissionsTest). The file is rewritten (atomically) whenever a new line appears. Recording
 * never fails a test: a problem writing the file is printed and the line stays unwritten.
 */
public final class RecordedOperations {
    private final String file;
    private final Class<?> anchor;
    private final Set<String> recorded = Collections.synchronizedSet(new TreeSet<>());

    /**
     * @param file   the file name under {@code target/cloud-operations}
     * @param anchor a class of the recording module's test classes, which locates its {@code target}
     */
    public RecordedOperations(String file, Class<?> anchor) {
        this.file = file;
        this.anchor = anchor;
    }

    /** Records a line such as {@code rds:PurchaseReservedDBInstancesOffering}. */
    public void record(String line) {
        if (recorded.add(line)) {
            write();
        }
    }

    /** Records an HTTP request as {@code METHOD /raw/path} (no host, no query). */
    public void recordRequest(String method, String url) {
        try {
            record(method + " " + URI.create(url).getRawPath());
        } catch (RuntimeException e) {
            System.err.println(anchor.getSimpleName() + ": not recorded (" + e + ")");
        }
    }

    private synchronized void write() {
        try {
            Path classes = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = classes.getParent().resolve("cloud-operations"); // target/test-classes -> target/cloud-operations
            Files.createDirectories(dir);
            List<String> lines;
            synchronized (recorded) {
                lines = new ArrayList<>(recorded);
            }
            Path tmp = Files.createTempFile(dir, file, ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception | LinkageError e) {
            System.err.println(anchor.getSimpleName() + ": not recorded (" + e + ")");
        }
    }
}
