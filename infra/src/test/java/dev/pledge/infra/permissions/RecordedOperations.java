package dev.pledge.infra.permissions;

import dev.pledge.infra.InfraFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The operations a provider module's test suite invoked, as its recorder left them in
 * {@code providers/<module>/target/cloud-operations/<file>} (see the recording packages in the
 * providers' src/test). The reactor tests the providers before infra, because infra depends on them.
 */
final class RecordedOperations {
    private RecordedOperations() {
    }

    static Path file(String module, String fileName) {
        return InfraFiles.providersDir().resolve(module).resolve("target/cloud-operations").resolve(fileName);
    }

    /** The recorded lines; fails with what to do when the recording is missing, empty or older than the code. */
    static Set<String> read(String module, String fileName) {
        Path file = file(module, fileName);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no recording of the " + module + " executors' cloud operations at " + file
                    + ": run the provider tests first (mvn -B verify from the repository root runs them before infra)");
        }
        try {
            Set<String> lines = new TreeSet<>();
            Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
            if (lines.isEmpty()) {
                throw new AssertionError(file + " is empty: the " + module + " tests invoked no cloud operation");
            }
            FileTime recorded = Files.getLastModifiedTime(file);
            FileTime code = newestClass(InfraFiles.providersDir().resolve(module).resolve("target/classes"));
            if (code.compareTo(recorded) > 0) {
                throw new AssertionError(file + " is older than the " + module + " classes it should describe: "
                        + "run the provider tests again (mvn -B verify from the repository root)");
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime newestClass(Path classes) throws IOException {
        if (!Files.isDirectory(classes)) {
            return FileTime.fromMillis(0);
        }
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class")).map(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
        }
    }
}
