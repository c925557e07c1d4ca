package dev.pledge.soak;

/**
 * {@code scripts/soak --executions N --seed S [--workers W]}: one soak run, one JSON line on stdout,
 * progress and findings on stderr; exit 0 only when the run is clean, 1 when it found a problem,
 * 2 on a usage error, 3 when the run itself could not be carried out.
 */
public final class SoakMain {

    private SoakMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String classpath = System.getProperty("soak.classpath", System.getProperty("java.class.path"));
        SoakOptions options;
        try {
            options = SoakOptions.parse(args, classpath);
        } catch (SoakOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("soak: " + e.getMessage());
            }
            System.err.println(SoakOptions.USAGE);
            return e.getMessage() == null ? 0 : 2;
        }
        SoakReport report;
        try {
            report = new SoakRun(options, System.err).run();
        } catch (Exception e) {
            System.err.println("soak: the run could not be carried out: " + e);
            e.printStackTrace(System.err);
            return 3;
        }
        for (String problem : report.problems()) {
            System.err.println("soak finding: " + problem);
        }
        System.out.println(report.json());
        System.out.flush();
        return report.clean() ? 0 : 1;
    }
}
