package dev.pledge.app.cli;

import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.Attempt;
import dev.pledge.common.spi.GuardUndecidedException;
import dev.pledge.common.spi.PurchaseGate;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.zip.CRC32;

/**
 * The write-ahead record of {@code pledge buy --token}: one file per (type, account, token), named by a
 * SHA-256 of the three so the token never appears in a file name, holding every attempt's start (written
 * and fsynced before the executor is called) and outcome (appended and fsynced after it returned). Every
 * later run with the token reads it and hands the attempts to the executor, whose guard then knows when
 * an untagged commitment may have been bought by this token (EC2, Redshift).
 *
 * <p>An open journal holds an exclusive lock for the whole run: an OS lock on the file (other
 * processes) and a lock per file inside this JVM (the OS lock does not separate threads of one process).
 * A second run with the token waits for the first and then reads its record.
 *
 * <p>Format: UTF-8 lines {@code <kind> <field>... *<crc32>}, fields URL-encoded; a line without its
 * newline or with a wrong checksum is damaged. A damaged last line is what a crash in the middle of a
 * write leaves: it is taken as an attempt that started when the file last changed and may have bought,
 * and a {@code lost} record saying so is appended, so the time survives later appends.
 */
final class TokenJournal implements AutoCloseable {
    static final String DIRECTORY_VARIABLE = "PLEDGE_JOURNAL_DIR";
    static final String SUFFIX = ".journal";
    private static final int VERSION = 1;
    private static final Map<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final Semaphore inProcess;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object fileKey;
    private final String token;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<Integer, Instant> open = new LinkedHashMap<>();
    private String request;
    private Recorded owned;
    private int starts;
    private boolean endsMidLine;
    private boolean closed;

    /** A commitment an earlier run with this token recorded as held (bought, found or recovered). */
    record Recorded(String commitmentId, String key, Instant at, boolean confirming) {
    }

    /** How an attempt ended, as the journal records it. */
    record Outcome(String result, boolean mayHaveBought, String commitmentId, String key, boolean confirming) {
        static Outcome held(String result, boolean mayHaveBought, String commitmentId, String key,
                            boolean confirming) {
            return new Outcome(result, mayHaveBought, commitmentId, key, confirming);
        }

        /** The cloud may hold what the attempt sent: unknown outcome, or an unexpected failure. */
        static Outcome unknown(String result) {
            return new Outcome(result, true, null, null, false);
        }

        /** Provably nothing bought by this attempt (refused, not sent, guard undecided). */
        static Outcome nothingBought(String result) {
            return new Outcome(result, false, null, null, false);
        }
    }

    private TokenJournal(Path file, Semaphore inProcess, FileChannel channel, FileLock lock, Object fileKey,
                         String token) {
        this.file = file;
        this.inProcess = inProcess;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
        this.token = token;
    }

    /** {@code ~/.pledge/cli-journal}. */
    static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".pledge", "cli-journal");
    }

    /** The journal's file name: a SHA-256 of type, account and token (never the token itself). */
    static String fileName(CommitmentRequest request, String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(("pledge-cli-journal\n" + request.type().slug() + "\n" + request.account()
                    + "\n" + token).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Opens (creating it and its directory when missing: directory 0700, file 0600, both fsynced) and locks
     * the journal of this request's token, waiting for another run that holds it; {@code waiting} runs once
     * before the wait. Reads the record, and repairs a damaged last line as described above.
     */
    static TokenJournal open(Path directory, CommitmentRequest request, String token, Instant now,
                             Runnable waiting) throws IOException {
        Path dir = createPrivateDirectories(directory.toAbsolutePath().normalize());
        Path file = dir.toRealPath().resolve(fileName(request, token));
        Semaphore inProcess = IN_PROCESS.computeIfAbsent(file, f -> new Semaphore(1));
        boolean waited = false;
        if (!inProcess.tryAcquire()) {
            waiting.run();
            waited = true;
            inProcess.acquireUninterruptibly();
        }
        // Only now open the file: on Linux, closing any descriptor of a file drops this process's locks on it.
        FileChannel channel = null;
        try {
            channel = openOrCreate(file, dir);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!waited) {
                    waiting.run();
                }
                lock = channel.lock();
            }
            Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            TokenJournal journal = new TokenJournal(file, inProcess, channel, lock, key, token);
            journal.read(request, now);
            return journal;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            inProcess.release();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Every recorded attempt: started, finished or not, and whether it may have bought. */
    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The latest commitment a run with this token recorded as held. */
    Optional<Recorded> owned() {
        return Optional.ofNullable(owned);
    }

    /** The purchase this token was first used for, when it differs from {@code request}; else empty. */
    Optional<String> otherPurchase(CommitmentRequest request) {
        return request == null || this.request == null || this.request.equals(describe(request)) ? Optional.empty()
                : Optional.of(this.request);
    }

    /** Records, and forces to disk, that an attempt starts now; returns its number. */
    int recordStart(Instant at) throws IOException {
        int n = starts + 1;
        append("start", String.valueOf(n), at.toString());
        starts = n;
        open.put(n, at);
        return n;
    }

    /** Records, and forces to disk, how attempt {@code n} ended; {@code at} is taken after the call returned. */
    void recordOutcome(int n, Instant at, Outcome outcome) throws IOException {
        append("end", String.valueOf(n), at.toString(), outcome.result(), outcome.mayHaveBought() ? "yes" : "no",
                orDash(outcome.commitmentId()), orDash(outcome.key()), outcome.confirming() ? "yes" : "no");
        open.remove(n);
    }

    /**
     * Throws {@link GuardUndecidedException} unless this run still holds the journal's lock on the file that
     * is at the journal's path (not one deleted or replaced since it was opened).
     */
    void checkHeld() {
        String problem = null;
        if (closed || !channel.isOpen() || !lock.isValid()) {
            problem = "its lock was released";
        } else {
            try {
                Object now = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).fileKey();
                if (!Objects.equals(now, fileKey)) {
                    problem = "the file was replaced since this run locked it";
                }
            } catch (IOException e) {
                problem = "the file cannot be read (" + e.getMessage() + ")";
            }
        }
        if (problem != null) {
            throw new GuardUndecidedException("this run no longer holds the journal of its token (" + file + "): "
                    + problem + "; nothing was sent");
        }
    }

    /**
     * The check run right before the purchase request is sent: this run still holds the journal, and the
     * attempt is not older than the guard may take ({@code guardBudget}), so its recorded start still bounds
     * when it can buy.
     */
    PurchaseGate gate(Instant attemptStart, Duration guardBudget, Clock clock) {
        return () -> {
            checkHeld();
            Instant latest = attemptStart.plus(guardBudget);
            if (clock.instant().isAfter(latest)) {
                throw new GuardUndecidedException("the guard of this run took longer than " + guardBudget
                        + " (the attempt was recorded at " + attemptStart + "); nothing was sent");
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            try {
                channel.close();
            } finally {
                inProcess.release();
            }
        }
    }

    // ---- reading

    private void read(CommitmentRequest current, Instant now) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("journal " + file + " is too large to be a token journal");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        channel.position(0);
        while (buf.hasRemaining() && channel.read(buf) >= 0) {
            // read it all
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of(text.split("\n", -1)));
        String tail = all.remove(all.size() - 1); // after the last newline: empty unless a write was cut short
        endsMidLine = !tail.isEmpty();
        if (endsMidLine) {
            all.add(tail);
        }
        Map<Integer, Instant> lost = new LinkedHashMap<>();
        List<Integer> damaged = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            int lineNo = i + 1;
            boolean cutShort = endsMidLine && i == all.size() - 1;
            List<String> fields = cutShort ? null : fields(all.get(i));
            if (fields == null) {
                damaged.add(lineNo);
                continue;
            }
            apply(fields, lineNo, lost);
        }
        for (int lineNo : damaged) {
            if (lost.containsKey(lineNo)) {
                attempts.add(Attempt.unfinished(lost.get(lineNo)));
            } else if (lineNo == all.size()) {
                // the crash this run finds: the damaged write happened when the file last changed
                Instant changed = Files.getLastModifiedTime(file).toInstant();
                Instant assumed = changed.isAfter(now) ? now : changed;
                append("lost", String.valueOf(lineNo), assumed.toString());
                attempts.add(Attempt.unfinished(assumed));
            } else {
                throw new IOException("journal " + file + " line " + lineNo + " is damaged and was not written by a "
                        + "crash of the last run (it is not the last line); nothing was bought. Inspect it");
            }
        }
        open.forEach((n, started) -> attempts.add(Attempt.unfinished(started)));
        if (request == null) {
            append("journal", String.valueOf(VERSION), now.toString(), Masking.mask(token), describe(current));
            request = describe(current);
        }
    }

    /** Applies one intact record; unknown kinds are refused (a newer version wrote them). */
    private void apply(List<String> f, int lineNo, Map<Integer, Instant> lost) throws IOException {
        try {
            switch (f.get(0)) {
                case "journal" -> {
                    if (Integer.parseInt(f.get(1)) != VERSION) {
                        throw new IOException("journal " + file + " has version " + f.get(1) + "; this pledge reads "
                                + VERSION);
                    }
                    if (request == null) {
                        request = f.get(4);
                    }
                }
                case "start" -> {
                    int n = Integer.parseInt(f.get(1));
                    open.put(n, Instant.parse(f.get(2)));
                    starts = Math.max(starts, n);
                }
                case "end" -> {
                    int n = Integer.parseInt(f.get(1));
                    Instant started = open.remove(n);
                    Instant ended = Instant.parse(f.get(2));
                    boolean mayHaveBought = "yes".equals(f.get(4));
                    attempts.add(new Attempt(started == null ? ended : started, ended, mayHaveBought));
                    String id = dashless(f.get(5));
                    if (id != null) {
                        owned = new Recorded(id, dashless(f.get(6)), ended, "yes".equals(f.get(7)));
                    }
                }
                case "lost" -> lost.put(Integer.parseInt(f.get(1)), Instant.parse(f.get(2)));
                default -> throw new IOException("journal " + file + " line " + lineNo + ": unknown record '"
                        + f.get(0) + "'");
            }
        } catch (IndexOutOfBoundsException | NumberFormatException | DateTimeParseException e) {
            throw new IOException("journal " + file + " line " + lineNo + " is malformed: " + e.getMessage(), e);
        }
    }

    /** The fields of an intact line, or null when its checksum is missing or wrong. */
    static List<String> fields(String line) {
        int star = line.lastIndexOf(" *");
        if (star < 0) {
            return null;
        }
        String body = line.substring(0, star);
        if (!crc(body).equals(line.substring(star + 2))) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String f : body.split(" ")) {
            out.add(URLDecoder.decode(f, StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---- writing

    private void append(String kind, String... values) throws IOException {
        StringBuilder body = new StringBuilder(kind);
        for (String v : values) {
            body.append(' ').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        String line = (endsMidLine ? "\n" : "") + body + " *" + crc(body.toString()) + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        long at = channel.size();
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
        channel.force(true);
        endsMidLine = false;
    }

    static String crc(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /** The request as the journal records it and as refusals show it. */
    static String describe(CommitmentRequest r) {
        return "type " + r.type().slug() + ", account " + r.account() + ", region " + r.region() + ", offering "
                + r.offering() + ", count " + r.quantity() + ", term " + r.term().slug()
                + (r.payment() == null ? "" : ", payment " + r.payment().slug())
                + (r.attributes().isEmpty() ? "" : ", attributes " + r.attributes());
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String dashless(String s) {
        return "-".equals(s) ? null : s;
    }

    // ---- files

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /** Creates the missing directories of {@code dir} with mode 0700, fsyncing each parent; returns {@code dir}. */
    static Path createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            if (POSIX) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
                Files.setPosixFilePermissions(dir, DIRECTORY_MODE); // whatever the umask took away or added
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return dir; // another run created it first
        }
        if (parent != null) {
            forceDirectory(parent);
        }
        return dir;
    }

    private static FileChannel openOrCreate(Path file, Path dir) throws IOException {
        try {
            FileAttribute<?>[] mode = POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE_MODE)}
                    : new FileAttribute<?>[0];
            FileChannel created = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), mode);
            if (POSIX) {
                Files.setPosixFilePermissions(file, FILE_MODE);
            }
            forceDirectory(dir);
            return created;
        } catch (FileAlreadyExistsException e) {
            return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    /** fsync of a directory, so that a new entry in it survives a crash (Linux; elsewhere a no-op). */
    private static void forceDirectory(Path dir) throws IOException {
        if (!POSIX) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
