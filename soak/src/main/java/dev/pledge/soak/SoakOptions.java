package dev.pledge.soak;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one soak run does. Everything random in a run (the workload, the faults, when workers are
 * killed and the database restarted) is drawn from {@code seed}.
 *
 * @param executions   executions to create, approve and drive to an end
 * @param seed         seed of every random choice
 * @param workers      worker JVMs running the engine
 * @param workerKills  kill -9 of a worker in the middle of a purchase, each followed by a restart
 * @param dbRestarts   PostgreSQL restarts in the middle of the run
 * @param workDir      where the database, the worker logs and the run's files go
 * @param classpath    class path of the worker JVMs
 */
record SoakOptions(int executions, long seed, int workers, int workerKills, int dbRestarts, Path workDir,
                   String classpath) {

    SoakOptions {
        if (executions < 1) {
            throw new IllegalArgumentException("--executions must be at least 1, was " + executions);
        }
        if (workers < 1 || workers > 16) {
            throw new IllegalArgumentException("--workers must be 1-16, was " + workers);
        }
        if (workerKills < 0 || dbRestarts < 0) {
            throw new IllegalArgumentException("--worker-kills and --db-restarts must not be negative");
        }
    }

    /** At least 3 kills for a 2,000-execution run, scaled down (to at least 2) for smaller ones. */
    static int defaultKills(int executions) {
        return Math.max(2, Math.min(6, executions / 500 + 1));
    }

    static final String USAGE = """
            usage: scripts/soak --executions N --seed S [--workers W] [--worker-kills K] [--db-restarts R] [--work-dir DIR]
              --executions N    executions to create, approve and drive to an end (1-5 items each)
              --seed S          seed of the workload, the faults, the kills and the restart
              --workers W       worker JVMs running the engine (default 3)
              --worker-kills K  kill -9 of a worker in the middle of a purchase (default: 2, up to 5 for 2,000 executions)
              --db-restarts R   PostgreSQL restarts in the middle of the run (default 1)
              --work-dir DIR    database, worker logs (default: a new directory under /tmp)
            Prints one JSON line on stdout; progress goes to stderr. Exit 0 only when nothing was bought
            twice, nothing is untracked, lost or stuck, the counters match and every transition is audited.""";

    static SoakOptions parse(String[] args, String classpath) {
        Integer executions = null;
        Long seed = null;
        int workers = 3;
        Integer kills = null;
        int restarts = 1;
        Path workDir = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            if (flag.equals("-h") || flag.equals("--help")) {
                throw new UsageException(null);
            }
            if (rest.isEmpty()) {
                throw new UsageException(flag + " needs a value");
            }
            String value = rest.remove(0);
            try {
                switch (flag) {
                    case "--executions" -> executions = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--workers" -> workers = Integer.parseInt(value);
                    case "--worker-kills" -> kills = Integer.parseInt(value);
                    case "--db-restarts" -> restarts = Integer.parseInt(value);
                    case "--work-dir" -> workDir = Path.of(value);
                    default -> throw new UsageException("unknown option " + flag);
                }
            } catch (NumberFormatException e) {
                throw new UsageException(flag + " must be a number, was '" + value + "'");
            }
        }
        if (executions == null || seed == null) {
            throw new UsageException("--executions and --seed are required");
        }
        try {
            return new SoakOptions(executions, seed, workers, kills == null ? defaultKills(executions) : kills,
                    restarts, workDir, classpath);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
