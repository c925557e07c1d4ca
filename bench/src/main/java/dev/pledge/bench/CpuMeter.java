package dev.pledge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent by this JVM (where the engine, db-scheduler, the bench and the in-process emulator
 * all run) and by the PostgreSQL server, between two {@link #snapshot() snapshots}.
 *
 * <p>The JVM: {@code OperatingSystemMXBean.getProcessCpuTime()} (every thread, GC and JIT included),
 * and, from {@code /proc/self/task/<tid>/stat}, the part of it spent by threads whose name starts with
 * a given prefix (the engine's workers, db-scheduler's threads), by the JIT compiler threads and by
 * the garbage collector. PostgreSQL: the postmaster's {@code utime + stime + cutime + cstime} (the
 * last two hold the CPU of every backend that exited and was reaped) plus the same four fields of
 * each of its live children (backends, checkpointer, WAL writer, autovacuum, ...), from
 * {@code /proc}; the postmaster is the parent of the backend serving this meter's connection. On a
 * server whose processes this machine cannot see, the database figure is null.
 */
final class CpuMeter {
    private static final double TICK_NS = 1e9 / 100; // USER_HZ: 100 on Linux
    private final Long postmaster;
    private final String threadPrefix;

    /** A reading: nanoseconds of CPU. {@code db} is null when the server's processes are not visible. */
    record Snapshot(long appNs, long threadsNs, long jitNs, long gcNs, Long dbNs) {
    }

    /** @param threadPrefix the name prefix of the threads reported apart (e.g. {@code pledge-worker-}) */
    CpuMeter(Connection connection, String threadPrefix) {
        this.postmaster = postmaster(connection);
        this.threadPrefix = threadPrefix;
    }

    Snapshot snapshot() {
        long app = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long threads = 0;
        long jit = 0;
        long gc = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String[] stat = stat(task.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                String name = stat[1];
                long ns = (long) ((Long.parseLong(stat[13]) + Long.parseLong(stat[14])) * TICK_NS);
                if (name.startsWith(threadPrefix)) {
                    threads += ns;
                } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jit += ns;
                } else if (name.startsWith("G1 ") || name.startsWith("GC Thread") || name.startsWith("VM Thread")) {
                    gc += ns;
                }
            }
        } catch (IOException e) {
            // no /proc: the thread breakdown stays zero
        }
        return new Snapshot(app, threads, jit, gc, postmaster == null ? null : dbTicks(postmaster));
    }

    /** CPU ms per unit of work between two snapshots, as JSON fields named {@code prefix + "_app"} etc. */
    static Map<String, Object> perUnit(String prefix, Snapshot before, Snapshot after, long units) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(prefix + "_app", JsonLine.round((after.appNs() - before.appNs()) / 1e6 / units, 4));
        m.put(prefix + "_app_threads", JsonLine.round((after.threadsNs() - before.threadsNs()) / 1e6 / units, 4));
        m.put(prefix + "_app_jit", JsonLine.round((after.jitNs() - before.jitNs()) / 1e6 / units, 4));
        m.put(prefix + "_app_gc", JsonLine.round((after.gcNs() - before.gcNs()) / 1e6 / units, 4));
        m.put(prefix + "_db", before.dbNs() == null || after.dbNs() == null ? null
                : JsonLine.round((after.dbNs() - before.dbNs()) / 1e6 / units, 4));
        return m;
    }

    private static Long postmaster(Connection connection) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            String[] backend = stat(Path.of("/proc/" + rs.getInt(1) + "/stat"));
            if (backend == null) {
                return null;
            }
            long parent = Long.parseLong(backend[3]);
            String[] pm = stat(Path.of("/proc/" + parent + "/stat"));
            return pm != null && pm[1].startsWith("postgres") ? parent : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The postmaster's CPU with its reaped children's, plus each live child's (and its reaped children's). */
    private static Long dbTicks(long postmaster) {
        String[] pm = stat(Path.of("/proc/" + postmaster + "/stat"));
        if (pm == null) {
            return null;
        }
        long ticks = all(pm);
        String parent = String.valueOf(postmaster);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                String[] stat = stat(p.resolve("stat"));
                if (stat != null && stat[3].equals(parent)) {
                    ticks += all(stat);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return (long) (ticks * TICK_NS);
    }

    private static long all(String[] stat) {
        return Long.parseLong(stat[13]) + Long.parseLong(stat[14]) + Long.parseLong(stat[15])
                + Long.parseLong(stat[16]);
    }

    /**
     * The fields of a /proc stat file, numbered as in proc(5) minus one ([1] is the name without its
     * parentheses, [3] the parent, [13] utime, [14] stime, [15] cutime, [16] cstime), or null if the
     * process is gone or unreadable.
     */
    private static String[] stat(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] rest = text.substring(close + 2).trim().split(" ");
        String[] out = new String[rest.length + 2];
        out[0] = text.substring(0, open).trim();
        out[1] = text.substring(open + 1, close);
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }
}
