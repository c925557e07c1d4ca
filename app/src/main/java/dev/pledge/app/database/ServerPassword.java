package dev.pledge.app.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The embedded PostgreSQL superuser's password: 256 random bits, kept in
 * {@code <data dir>/postgres.password} (owner read/write only), beside the server's data directory.
 */
final class ServerPassword {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Every connection, socket or loopback, must prove the password; nothing is trusted. */
    static final String HBA = """
            # written by pledge at every start: every connection needs the password (SCRAM)
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            """;

    private final Path dataDirectory;
    private final Path file;

    private ServerPassword(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.file = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
    }

    static ServerPassword of(Path dataDirectory) {
        return new ServerPassword(dataDirectory.toAbsolutePath().normalize());
    }

    Path file() {
        return file;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    /** The stored password, or a new one written to a file only its owner can read. */
    String readOrCreate() throws IOException {
        if (exists()) {
            String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (stored.length() < 32) {
                throw new IllegalStateException(file + " holds no usable password; restore it from a backup "
                        + "(the server in " + dataDirectory + " needs it)");
            }
            return stored;
        }
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        String secret = HexFormat.of().formatHex(bits);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return secret;
    }

    /** Replaces the server's pg_hba.conf with {@link #HBA}. */
    static void requirePasswords(Path dataDirectory) {
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write pg_hba.conf in " + dataDirectory, e);
        }
    }
}
