package dev.pledge.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The worker JVMs of a soak run: each runs the real engine ({@link WorkerMain}) with its own worker
 * id. Only processes started here are ever killed, by their own handle (SIGKILL on Linux).
 */
final class WorkerProcesses implements AutoCloseable {
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String classpath;
    private final Path logDirectory;
    private final List<String> workerArguments;
    private final Process[] processes;
    private final int[] generations;
    private final boolean[] killed;

    /** @param workerArguments arguments after the main class, the same for every worker */
    WorkerProcesses(int count, String classpath, Path logDirectory, List<String> workerArguments) {
        this.classpath = classpath;
        this.logDirectory = logDirectory;
        this.workerArguments = List.copyOf(workerArguments);
        this.processes = new Process[count];
        this.generations = new int[count];
        this.killed = new boolean[count];
    }

    int count() {
        return processes.length;
    }


    synchronized void startAll() {
        for (int i = 0; i < processes.length; i++) {
            start(i);
        }
    }

    /** Starts slot {@code i}; every start after the first is a new generation with its own log file. */
    synchronized void start(int i) {
        if (processes[i] != null) {
            generations[i]++;
        }
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classpath);
        command.add(WorkerMain.class.getName());
        command.addAll(workerArguments);
        Path log = logFile(i);
        killed[i] = false;
        try {
            processes[i] = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start worker " + i, e);
        }
    }

    /**
     * Waits until every worker printed its ready line ({@link WorkerMain#READY}); a worker that
     * exits first, or stays silent past the timeout, fails the run with its log's name.
     */
    void awaitReady(java.time.Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < processes.length; i++) {
            while (true) {
                Path log;
                boolean alive;
                synchronized (this) {
                    log = logFile(i);
                    alive = processes[i].isAlive();
                }
                if (java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log,
                        java.nio.charset.StandardCharsets.ISO_8859_1).contains(WorkerMain.READY)) {
                    break;
                }
                if (!alive) {
                    throw new IllegalStateException("worker " + i + " exited during start-up; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("worker " + i + " did not start within " + timeout + "; see " + log);
                }
                Thread.sleep(200);
            }
        }
    }

    synchronized long pid(int i) {
        return processes[i].pid();
    }

    /**
     * The slot whose live process claimed with {@code claimedBy}. The engine names its workers
     * {@code <pid>@<host>-<random>/w<n>}, so the process id is the part before the {@code @}.
     */
    synchronized Optional<Integer> slotOfClaim(String claimedBy) {
        int at = claimedBy == null ? -1 : claimedBy.indexOf('@');
        if (at <= 0) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(claimedBy.substring(0, at));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && processes[i].isAlive() && processes[i].pid() == pid) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** kill -9 of slot {@code i}'s process, waiting until it is gone. */
    synchronized long kill(int i) throws InterruptedException {
        Process p = processes[i];
        long pid = p.pid();
        killed[i] = true;
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker " + i + " (pid " + pid + ") survived SIGKILL for 30 s");
        }
        return pid;
    }

    synchronized boolean isAlive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    /** True between {@link #kill} and the next {@link #start} of the slot. */
    synchronized boolean isBeingKilled(int i) {
        return killed[i];
    }

    synchronized String describe(int i) {
        Process p = processes[i];
        return "pid " + p.pid() + (p.isAlive() ? ", running" : ", exit status " + p.exitValue()) + ", log " + logFile(i);
    }

    private Path logFile(int i) {
        return logDirectory.resolve("worker-" + i + "-g" + generations[i] + ".log");
    }

    /** A worker that died on its own is a finding, not something to paper over. */
    synchronized List<String> deadWorkers() {
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && !processes[i].isAlive()) {
                dead.add("worker " + i + " (pid " + processes[i].pid() + ") exited on its own with status "
                        + processes[i].exitValue() + "; see " + logDirectory.resolve("worker-" + i + "-g"
                        + generations[i] + ".log"));
            }
        }
        return dead;
    }

    @Override
    public synchronized void close() {
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
