package dev.pledge.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files under test live: infra/ and the repository root, found from Surefire's properties. */
public final class InfraFiles {
    private InfraFiles() {
    }

    /** The infra/ directory. */
    public static Path infraDir() {
        String configured = System.getProperty("pledge.infra.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("docker/Dockerfile"))) {
            throw new IllegalStateException("infra directory not found at " + dir
                    + " (run the tests through Maven, which sets pledge.infra.dir)");
        }
        return dir.toAbsolutePath().normalize();
    }

    /** The repository root (the Docker build context). */
    public static Path repositoryRoot() {
        return infraDir().getParent();
    }

    /** The providers/ directory, whose modules' test runs leave their recorded cloud operations under target/. */
    public static Path providersDir() {
        String configured = System.getProperty("pledge.providers.dir");
        Path dir = configured != null ? Path.of(configured) : repositoryRoot().resolve("providers");
        return dir.toAbsolutePath().normalize();
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
