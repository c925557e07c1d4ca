package dev.pledge.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Hidden: run by the {@code ./pledge} launcher on the jars it has just extracted for the short
 * commands ({@code app/target/pledge-cli/lib}), before the {@link CdsTrainingCommand} run. It
 * removes the signature files ({@code META-INF/*.SF}, {@code *.RSA}, {@code *.DSA}, {@code *.EC},
 * {@code SIG-*}) from the signed jars there (the Azure SDK's), nothing else. Class-data sharing
 * skips every class of a signed jar, and recording an archive with them loaded crashes the JDK 17
 * archiver, so without this the Azure commands load and verify their classes the slow way on every
 * run, plus the digest check of each class read from a signed jar.
 *
 * <p>What the signatures gave at run time: a check, as each class is read, that it matches the
 * digests in the signed manifest. With no security manager and no trust anchor that check is not a
 * protection (anyone able to change the file can drop the signature too); the jars were verified
 * against their checksums when Maven downloaded them. The Spring Boot jar ({@code pledge serve})
 * keeps them untouched.
 */
@Command(name = "cds-prepare", hidden = true,
        description = "Internal: unsign the launcher's extracted jars so that its CDS archive can hold their classes.")
final class CdsPrepareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<lib>", description = "The extracted layout's lib directory.")
    Path lib;

    @Override
    public Integer call() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path jar : jars) {
                unsign(jar);
            }
        }
        return ExitCode.OK;
    }

    /** Deletes the jar's signature files; returns whether it had any. Every other entry is kept as it was. */
    static boolean unsign(Path jar) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            List<Path> signature;
            try (Stream<Path> entries = Files.list(zip.getPath("META-INF"))) {
                signature = entries.filter(e -> isSignatureFile(e.getFileName().toString())).toList();
            } catch (NoSuchFileException e) {
                return false;
            }
            for (Path entry : signature) {
                Files.delete(entry);
            }
            return !signature.isEmpty();
        }
    }

    /** The names {@link JarFile} treats as signature-related in META-INF. */
    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                || upper.startsWith("SIG-");
    }

    /** Whether the jar holding {@code resource} (on this class path) is signed; false if it is not in a jar. */
    static boolean signed(String resource) {
        URL url = CdsPrepareCommand.class.getClassLoader().getResource(resource);
        if (url == null || !"jar".equals(url.getProtocol())) {
            return false;
        }
        try {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = new JarFile(Path.of(connection.getJarFileURL().toURI()).toFile(), false)) {
                return jar.stream().map(JarEntry::getName)
                        .anyMatch(n -> n.startsWith("META-INF/") && n.indexOf('/', 9) < 0
                                && isSignatureFile(n.substring(9)));
            }
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return true;
        }
    }
}
