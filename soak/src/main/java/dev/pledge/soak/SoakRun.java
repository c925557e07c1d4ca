package dev.pledge.soak;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.app.budget.BudgetExceededException;
import dev.pledge.app.budget.BudgetStore;
import dev.pledge.app.budget.Budgets;
import dev.pledge.app.price.PriceStore;
import dev.pledge.app.price.PurchaseProperties;
import dev.pledge.app.price.PurchaseQuotes;
import dev.pledge.app.execution.CreatedExecution;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ProviderSettings;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One soak run: PostgreSQL, the emulator, W worker JVMs; executions created and approved through
 * the service layer; faults, worker kills and a database restart along the way; failed executions
 * re-driven as an operator would; then the verdict from the emulator and the database.
 */
final class SoakRun {
    static final String APPROVER = "soak-approver";
    static final String OPERATOR = "soak-operator";
    /** Non-terminal executions allowed at once, per worker JVM: keeps kills and the restart mid-purchase. */
    private static final int IN_FLIGHT_PER_WORKER = 24;
    /** Random faults armed per execution created, on average (each hits 1-2 calls). */
    static final double FAULTS_PER_EXECUTION = 0.7;
    private static final int MAX_REDRIVES = 12;
    /**
     * How long the operator leaves a failed execution alone before re-driving it, as a person would:
     * a purchase whose answer was lost may still be landing in the cloud (a delay past the client's
     * timeout), and the re-drive's guard should see it.
     */
    static final Duration SETTLE = Duration.ofSeconds(4);

    private final SoakOptions options;
    private final PrintStream progress;
    private final Random chaosRandom;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger kills = new AtomicInteger();
    private final AtomicInteger killsMidPurchase = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger redrives = new AtomicInteger();
    private final AtomicInteger workerCrashes = new AtomicInteger();
    /** Approvals and re-drives refused by a budget (issue 16): the requester cancels, the operator gives up. */
    private final AtomicInteger budgetRefused = new AtomicInteger();
    /** Each account's budget is this share of what its purchases cost: the last approvals are refused. */
    private static final java.math.BigDecimal BUDGET_SHARE = new java.math.BigDecimal("0.85");
    private Budgets budgets;
    /** Plan cycles spread over the approvals (issue 16); each cycle is run twice. */
    private static final int PLAN_CYCLES = 3;
    private SoakPlans planner;
    private PriceStore prices;
    private final AtomicBoolean creating = new AtomicBoolean(true);
    private final Map<String, Integer> faultKinds = new ConcurrentHashMap<>();
    private final Map<String, Integer> faultWindows = new ConcurrentHashMap<>();
    private final Random operatorRandom;
    private final Map<UUID, Integer> redrivesPerExecution = new ConcurrentHashMap<>();
    private final Map<UUID, Long> lastRedrive = new ConcurrentHashMap<>();
    private final List<UUID> createdIds = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
    private long started;

    SoakRun(SoakOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.chaosRandom = new Random(options.seed() ^ 0x5EEDFA17L);
        this.operatorRandom = new Random(options.seed() ^ 0x0BE7A70L);
    }

    SoakReport run() throws Exception {
        started = System.nanoTime();
        Path work = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("pledge-soak-");
        say("work directory " + work + " (worker logs, database)");
        try (SoakDatabase db = SoakDatabase.start(work.resolve("pgdata"));
             SoakEmulator emulator = SoakEmulator.start()) {
            say("PostgreSQL on port " + db.port() + ", emulator at " + emulator.url());
            Flyway.configure().dataSource(db.jdbcUrl(), SoakDatabase.USER, "")
                    .locations("classpath:db/migration").load().migrate();
            EmulatorControl control = new EmulatorControl(emulator.url());
            FaultMenu menu = new FaultMenu(control, faultKinds, faultWindows);
            menu.prepare();
            try (HikariDataSource pool = pool(db);
                 ExecutorRegistry registry = ExecutorRegistry.load(ProviderSettings.emulator(emulator.url()));
                 WorkerProcesses workers = new WorkerProcesses(options.workers(), options.classpath(),
                         work, workerArguments(db, emulator))) {
                NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(pool);
                TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(pool));
                // issue 16: purchases are quoted and approvals reserve budgets, as in the service
                prices = new PriceStore(jdbc);
                budgets = new Budgets(new BudgetStore(jdbc), new AccountService(jdbc), new AuditTrail(jdbc), tx);
                ExecutionService service = ExecutionService.create(jdbc, tx, registry, List.of(
                        new PurchaseQuotes(registry, prices, jdbc, PurchaseProperties.defaults()), budgets));
                List<CommitmentType> types = java.util.Arrays.stream(CommitmentType.values())
                        .filter(registry::supports).toList();
                if (types.size() < CommitmentType.values().length) {
                    String missing = java.util.Arrays.stream(CommitmentType.values()).filter(t -> !registry.supports(t))
                            .map(CommitmentType::slug).toList().toString();
                    notes.add("no executor on the class path for " + missing + ": those types were not bought");
                    say("WARNING: no executor for " + missing + "; the workload leaves them out");
                }
                Map<Cloud, List<UUID>> accounts = accounts(new AccountService(jdbc));
                // issue 16: auto-approve plans buy laddered shares of recommendations alongside the workload
                planner = new SoakPlans(jdbc, tx, service);
                say(planner.prepare(control, emulator.url(), accounts, tx, this::say));
                Workload workload = new Workload(options.seed(), accounts, SoakCatalog.catalog(control), types);
                workers.startAll();
                workers.awaitReady(Duration.ofMinutes(3));
                say(options.workers() + " worker JVM(s) ready, pids " + pids(workers));

                List<Thread> helpers = new ArrayList<>();
                helpers.add(daemon("soak-chaos", () -> chaos(menu)));
                helpers.add(daemon("soak-operator", () -> operate(service, jdbc, menu)));
                helpers.add(daemon("soak-disruptor", () -> disrupt(db, workers, jdbc)));
                helpers.add(daemon("soak-progress", () -> report(jdbc, workers)));
                helpers.forEach(Thread::start);

                create(service, workload, jdbc, workers);
                creating.set(false);
                say("all " + options.executions() + " executions created; waiting for the scheduled disruptions");
                helpers.get(2).join(Duration.ofMinutes(10).toMillis());
                menu.close();
                int unfired = control.faultsRemaining();
                control.clearFaults();
                int armedCalls = faultKinds.values().stream().mapToInt(Integer::intValue).sum();
                int windows = faultWindows.values().stream().mapToInt(Integer::intValue).sum();
                int fired = armedCalls - unfired + windows;
                say((armedCalls - unfired) + " of " + armedCalls + " armed fault calls fired, " + windows
                        + " slow-operation windows; the rest cleared; draining: re-driving failed executions until they succeed or are refused");
                drain(jdbc);
                helpers.forEach(Thread::interrupt);
                for (Thread t : helpers) {
                    t.join(10_000);
                }
                notes.addAll(workers.deadWorkers());

                SoakChecks.Verdict v;
                try (Connection c = pool.getConnection()) {
                    v = new SoakChecks().run(c, List.copyOf(createdIds), control.commitments());
                }
                long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                List<String> problems = new ArrayList<>(v.problems());
                List<String> planProblems = retrying("plan checks", planner::problems);
                problems.addAll(planProblems);
                List<String> unseen = menu.unseenTargets();
                unseen.forEach(u -> problems.add("faults were aimed at " + u + ", which the emulator never saw called"));
                problems.addAll(notes);
                return new SoakReport(options.seed(), v.executions(), v.items(), v.commitments(), v.doubleBuys(),
                        v.untracked(), v.lost(), v.stuck(), v.counterMismatches(), v.auditGaps(), unseen.size(), fired,
                        kills.get(), restarts.get(), redrives.get(), v.refused(), workerCrashes.get(),
                        killsMidPurchase.get(), kindsSeen(), evidence(jdbc), seconds, v.budgetOverruns(),
                        budgetRefused.get(), canceledItems(jdbc), planProblems.size(), planner.figures(), problems);
            }
        }
    }

    /**
     * What the faults made the executors do, from the recorded outcomes: how items were settled, and
     * which of Azure's two duplicate answers (200 with the order, 409) led to a recovery.
     */
    private Map<String, Integer> evidence(NamedParameterJdbcTemplate jdbc) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        jdbc.getJdbcTemplate().query("SELECT type, offering, term, outcome, failure_kind FROM items", rs -> {
            String outcome = rs.getString("outcome");
            out.merge("items_" + (outcome != null ? outcome : "FAILED_" + rs.getString("failure_kind")), 1, Integer::sum);
            String type = rs.getString("type");
            if ("RECOVERED".equals(outcome) && type.startsWith("azure-")) {
                boolean conflict = FaultMenu.conflicts(type, rs.getString("offering"), rs.getString("term"));
                out.merge(conflict ? "azure_recovered_from_409" : "azure_recovered_from_200", 1, Integer::sum);
            }
            if ("RECOVERED".equals(outcome)) {
                out.merge("recovered_" + type, 1, Integer::sum);
            }
        });
        Integer attempts = jdbc.getJdbcTemplate().queryForObject("SELECT count(*) FROM item_attempts", Integer.class);
        out.put("purchase_attempts", attempts == null ? 0 : attempts);
        out.put("kills_mid_purchase", killsMidPurchase.get());
        Integer types = jdbc.getJdbcTemplate().queryForObject("SELECT count(DISTINCT type) FROM items", Integer.class);
        out.put("commitment_types", types == null ? 0 : types);
        return out;
    }

    private Map<String, Integer> kindsSeen() {
        Map<String, Integer> all = new java.util.TreeMap<>(faultKinds);
        faultWindows.forEach((k, v) -> all.merge(k, v, Integer::sum));
        return all;
    }

    private List<String> workerArguments(SoakDatabase db, SoakEmulator emulator) {
        return List.of(
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + SoakDatabase.USER,
                "--spring.datasource.password=",
                "--spring.datasource.hikari.maximum-pool-size=24",
                "--spring.datasource.hikari.connection-timeout=5000",
                "--spring.flyway.enabled=false",
                "--pledge.cloud.endpoint=" + emulator.url(),
                "--pledge.cloud.call-timeout=1500ms",
                "--pledge.cloud.max-attempts=3",
                "--pledge.cloud.poll-interval=50ms",
                "--pledge.cloud.poll-timeout=3s",
                "--pledge.engine.workers=8",
                "--pledge.engine.lease=6s",
                "--pledge.engine.heartbeat=1s",
                "--pledge.engine.poll-interval=500ms",
                "--pledge.engine.max-claims=6",
                "--pledge.engine.lease-sweep-interval=2s",
                "--pledge.engine.lease-sweep-deadline=1s",
                // purchases the cloud has not finished (CONFIRMING) are followed at once, as the drain waits for them
                "--pledge.engine.confirmation-sweep-interval=1s",
                "--pledge.engine.shutdown-grace=2s",
                "--logging.level.root=WARN",
                "--logging.level.dev.pledge=INFO");
    }

    private HikariDataSource pool(SoakDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(SoakDatabase.USER);
        config.setPassword("");
        config.setMaximumPoolSize(6);
        config.setConnectionTimeout(5_000);
        config.setPoolName("soak-runner");
        return new HikariDataSource(config);
    }

    private Map<Cloud, List<UUID>> accounts(AccountService accounts) {
        Map<Cloud, List<UUID>> out = new EnumMap<>(Cloud.class);
        for (Cloud cloud : Cloud.values()) {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < Workload.ACCOUNTS_PER_CLOUD; i++) {
                Account a = accounts.create(new NewAccount(cloud, SoakCatalog.externalId(cloud, i),
                        "soak " + cloud.slug() + " " + i, Map.of()));
                ids.add(a.id());
            }
            out.put(cloud, ids);
        }
        return out;
    }

    /** Creates and approves every execution, keeping a bounded number in flight. */
    private void create(ExecutionService service, Workload workload, NamedParameterJdbcTemplate jdbc,
                        WorkerProcesses workers) throws InterruptedException {
        // issue 16: every purchase is created (and quoted) first, then each account gets a budget a little
        // below what its purchases cost, so the approvals at the end of the run are refused
        List<UUID> pending = new ArrayList<>();
        for (int n = 0; n < options.executions(); n++) {
            NewExecution request = workload.execution(n);
            UUID id = retrying("create execution " + n, () -> {
                CreatedExecution c = service.create(request);
                return c.detail().execution().id();
            });
            createdIds.add(id);
            pending.add(id);
        }
        setBudgets(jdbc);
        int inFlightLimit = IN_FLIGHT_PER_WORKER * options.workers();
        int approvals = 0;
        for (UUID id : pending) {
            if (approvals++ % Math.max(1, pending.size() / PLAN_CYCLES) == 0) {
                for (UUID proposed : retrying("plan cycle", planner::cycle)) {
                    if (!createdIds.contains(proposed)) {
                        createdIds.add(proposed);
                    }
                }
            }
            while (inFlight(jdbc) >= inFlightLimit) {
                Thread.sleep(50);
            }
            boolean refusedByBudget = retrying("approve " + id, () -> {
                TransitionResult r;
                try {
                    r = service.approve(id, APPROVER);
                } catch (BudgetExceededException e) {
                    return true;
                }
                if (r instanceof TransitionResult.OtherStatus other && other.current() == ExecutionStatus.PENDING_APPROVAL) {
                    throw new IllegalStateException("approve did not move " + id + ": " + other.reason());
                }
                if (r instanceof TransitionResult.NotFound) {
                    throw new IllegalStateException("execution " + id + " vanished before approval");
                }
                return false;
            });
            if (refusedByBudget) {
                budgetRefused.incrementAndGet();
                retrying("cancel " + id, () -> service.cancel(id, Workload.REQUESTER));
            }
            created.incrementAndGet();
        }
    }

    /**
     * Each account's monthly budget, per currency: {@link #BUDGET_SHARE} of what all its quoted items cost over
     * their terms. Accounts with no priced item (GCP without a recommendation) get none.
     */
    private void setBudgets(NamedParameterJdbcTemplate jdbc) throws InterruptedException {
        List<Map<String, Object>> rows = retrying("sum quotes", () -> jdbc.getJdbcTemplate().queryForList("""
                SELECT i.account_id, q.currency, sum(q.total) AS total
                FROM items i JOIN item_quotes q ON q.execution_id = i.execution_id AND q.position = i.position
                WHERE q.currency IS NOT NULL GROUP BY i.account_id, q.currency"""));
        Map<UUID, Map<String, java.math.BigDecimal>> perAccount = new java.util.HashMap<>();
        for (Map<String, Object> row : rows) {
            perAccount.computeIfAbsent((UUID) row.get("account_id"), a -> new java.util.TreeMap<>())
                    .put((String) row.get("currency"), ((java.math.BigDecimal) row.get("total"))
                            .multiply(BUDGET_SHARE).setScale(4, java.math.RoundingMode.DOWN));
        }
        for (Map.Entry<UUID, Map<String, java.math.BigDecimal>> e : perAccount.entrySet()) {
            retrying("set budget", () -> budgets.set(e.getKey(), e.getValue(), "soak-admin"));
        }
        say(perAccount.size() + " account budget(s) set at " + BUDGET_SHARE.movePointRight(2).toPlainString()
                + " % of what their purchases cost");
    }

    /** Items of purchases the requester canceled after a budget refused their approval: never bought. */
    private int canceledItems(NamedParameterJdbcTemplate jdbc) throws InterruptedException {
        Integer n = retrying("count canceled items", () -> jdbc.getJdbcTemplate().queryForObject(
                "SELECT count(*) FROM items i JOIN executions e ON e.id = i.execution_id WHERE e.status = 'CANCELED'",
                Integer.class));
        return n == null ? 0 : n;
    }

    private int inFlight(NamedParameterJdbcTemplate jdbc) throws InterruptedException {
        Integer n = retrying("count in-flight executions", () -> jdbc.getJdbcTemplate().queryForObject(
                "SELECT count(*) FROM executions WHERE status IN ('APPROVED', 'RUNNING', 'CONFIRMING')",
                Integer.class));
        return n == null ? 0 : n;
    }

    interface Step<T> {
        T run() throws Exception;
    }

    /** Runs a service call, retrying while the database is away (the restart); gives up after 2 minutes. */
    private <T> T retrying(String what, Step<T> step) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return step.run();
            } catch (InterruptedException e) {
                throw e;
            } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
                last = e;
                Thread.sleep(500);
            } catch (Exception e) {
                throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException(what + ": the database did not come back within 2 minutes", last);
    }

    /**
     * Arms random faults in step with the workload: for each execution created, on average
     * {@link #FAULTS_PER_EXECUTION} faults, so that a run's fault density does not depend on the
     * machine's speed.
     */
    private void chaos(FaultMenu menu) {
        int seen = 0;
        try {
            while (creating.get() && !Thread.currentThread().isInterrupted()) {
                int now = created.get();
                if (now == seen) {
                    Thread.sleep(20);
                    continue;
                }
                for (; seen < now; seen++) {
                    if (chaosRandom.nextDouble() < FAULTS_PER_EXECUTION) {
                        try {
                            menu.injectRandom(chaosRandom);
                        } catch (RuntimeException e) {
                            notes.add("could not arm a fault: " + e.getMessage());
                            say("could not arm a fault: " + e.getMessage());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Worker kills and the database restart, at progress points drawn from the seed: kills spread over
     * the run, the restart in its middle.
     */
    private void disrupt(SoakDatabase db, WorkerProcesses workers, NamedParameterJdbcTemplate jdbc) {
        Random random = new Random(options.seed() ^ 0xD15C0L);
        List<double[]> plan = new ArrayList<>();
        for (int k = 0; k < options.workerKills(); k++) {
            double at = (k + 0.5 + (random.nextDouble() - 0.5) * 0.5) / (options.workerKills() + 0.5);
            plan.add(new double[] {Math.min(at, 0.9), 0});
        }
        for (int r = 0; r < options.dbRestarts(); r++) {
            plan.add(new double[] {0.45 + 0.1 * random.nextDouble() + 0.05 * r, 1});
        }
        plan.sort((a, b) -> Double.compare(a[0], b[0]));
        try {
            for (double[] event : plan) {
                while (created.get() < event[0] * options.executions()) {
                    Thread.sleep(100);
                }
                if (event[1] == 0) {
                    killMidPurchase(workers, jdbc, random);
                } else {
                    say("restarting PostgreSQL (fast shutdown, 2 s down)");
                    db.restart(Duration.ofSeconds(2));
                    restarts.incrementAndGet();
                    say("PostgreSQL is back on port " + db.port());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            notes.add("disruption failed: " + e);
            say("disruption failed: " + e);
        }
    }

    private void killMidPurchase(WorkerProcesses workers, NamedParameterJdbcTemplate jdbc, Random random)
            throws InterruptedException {
        Optional<Integer> slot = Optional.empty();
        for (int i = 0; i < 300 && slot.isEmpty(); i++) {
            List<String> owners;
            try {
                owners = jdbc.getJdbcTemplate().queryForList("SELECT DISTINCT e.claimed_by FROM items i "
                        + "JOIN executions e ON e.id = i.execution_id "
                        + "WHERE i.status = 'PURCHASING' AND e.status = 'RUNNING'", String.class);
            } catch (org.springframework.dao.DataAccessException e) {
                owners = List.of();
            }
            if (!owners.isEmpty()) {
                slot = workers.slotOfClaim(owners.get(random.nextInt(owners.size())));
            }
            if (slot.isEmpty()) {
                Thread.sleep(20);
            }
        }
        boolean midPurchase = slot.isPresent();
        int victim = slot.orElse(random.nextInt(workers.count()));
        long pid = workers.kill(victim);
        kills.incrementAndGet();
        if (midPurchase) {
            killsMidPurchase.incrementAndGet();
        }
        say("kill -9 worker " + victim + " (pid " + pid + ")" + (midPurchase ? " while it was buying"
                : " (no purchase in flight was seen within 6 s)"));
        Thread.sleep(300 + random.nextInt(700));
        workers.start(victim);
        say("worker " + victim + " restarted as pid " + workers.pid(victim));
    }

    /**
     * The operator: re-drives FAILED and PARTIALLY_SUCCEEDED executions unless every failed item was refused by
     * the cloud (an item whose outcome is unknown must be re-driven even when a sibling was refused: the soak's
     * refused-lookup fault refuses one item while another may have bought).
     */
    private void operate(ExecutionService service, NamedParameterJdbcTemplate jdbc, FaultMenu menu) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(500);
                try {
                    redriveOnce(service, jdbc, creating.get() ? menu : null);
                } catch (RuntimeException e) {
                    // e.g. a TransactionSystemException when PostgreSQL restarts mid-transaction (not a
                    // DataAccessException): an operator tries again, the thread must not die with it
                    say("operator: a re-drive failed (" + e.getClass().getSimpleName() + ": "
                            + firstLine(e.getMessage()) + "); trying again");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** @return executions still waiting for a re-drive */
    private int redriveOnce(ExecutionService service, NamedParameterJdbcTemplate jdbc, FaultMenu menu) {
        List<Map<String, Object>> rows;
        try {
            rows = jdbc.getJdbcTemplate().queryForList("""
                    SELECT e.id, bool_or(i.failure_kind = 'REJECTED' AND i.status = 'FAILED')
                                 AND NOT bool_or(i.status = 'FAILED' AND i.failure_kind <> 'REJECTED') AS refused
                    FROM executions e JOIN items i ON i.execution_id = e.id
                    WHERE e.status IN ('FAILED', 'PARTIALLY_SUCCEEDED')
                      AND (e.finished_at IS NULL OR e.finished_at < now() - :settle * interval '1 millisecond')
                    GROUP BY e.id""".replace(":settle", String.valueOf(SETTLE.toMillis())));
        } catch (org.springframework.dao.DataAccessException e) {
            return -1;
        }
        int waiting = 0;
        long now = System.nanoTime();
        for (Map<String, Object> row : rows) {
            UUID id = (UUID) row.get("id");
            if (Boolean.TRUE.equals(row.get("refused")) || redrivesPerExecution.getOrDefault(id, 0) >= MAX_REDRIVES) {
                continue;
            }
            waiting++;
            Long last = lastRedrive.get(id);
            if (last != null && now - last < Duration.ofSeconds(1).toNanos()) {
                continue;
            }
            try {
                for (String type : jdbc.getJdbcTemplate().queryForList("SELECT DISTINCT type FROM items "
                        + "WHERE execution_id = ? AND status = 'FAILED' AND failure_kind = 'OUTCOME_UNKNOWN'",
                        String.class, id)) {
                    try {
                        if (menu != null) {
                            menu.beforeRedrive(dev.pledge.common.model.CommitmentType.fromSlug("type", type), operatorRandom);
                        }
                    } catch (RuntimeException e) {
                        say("could not arm a lagging lookup: " + e.getMessage());
                    }
                }
                TransitionResult r;
                try {
                    r = service.redrive(id, OPERATOR);
                } catch (BudgetExceededException e) {
                    // the budget has no room for the items to try again: the operator stops re-driving it
                    budgetRefused.incrementAndGet();
                    redrivesPerExecution.put(id, MAX_REDRIVES);
                    continue;
                }
                lastRedrive.put(id, now);
                if (r instanceof TransitionResult.Moved) {
                    redrives.incrementAndGet();
                    redrivesPerExecution.merge(id, 1, Integer::sum);
                }
            } catch (org.springframework.dao.DataAccessException e) {
                return -1;
            }
        }
        return waiting;
    }

    /** Waits until every execution is terminal and nothing is left to re-drive, within a bound. */
    private void drain(NamedParameterJdbcTemplate jdbc) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120 + options.executions() / 4L).toNanos();
        JdbcTemplate t = jdbc.getJdbcTemplate();
        while (System.nanoTime() < deadline) {
            try {
                Integer open = t.queryForObject("SELECT count(*) FROM executions WHERE status IN "
                        + "('PENDING_APPROVAL', 'APPROVED', 'RUNNING', 'CONFIRMING')", Integer.class);
                Integer redrivable = t.queryForObject("""
                        SELECT count(*) FROM executions e
                        WHERE e.status IN ('FAILED', 'PARTIALLY_SUCCEEDED')
                          AND NOT (EXISTS (SELECT 1 FROM items i WHERE i.execution_id = e.id
                                           AND i.status = 'FAILED' AND i.failure_kind = 'REJECTED')
                                   AND NOT EXISTS (SELECT 1 FROM items i WHERE i.execution_id = e.id
                                           AND i.status = 'FAILED' AND i.failure_kind <> 'REJECTED'))""",
                        Integer.class);
                int exhausted = (int) redrivesPerExecution.values().stream().filter(n -> n >= MAX_REDRIVES).count();
                if (open != null && open == 0 && redrivable != null && redrivable <= exhausted) {
                    say("drained: nothing running, nothing left to re-drive");
                    return;
                }
            } catch (org.springframework.dao.DataAccessException e) {
                // the database may be coming back; ask again
            }
            Thread.sleep(500);
        }
        say("drain deadline reached; whatever is not finished is counted as stuck");
    }

    private void report(NamedParameterJdbcTemplate jdbc, WorkerProcesses workers) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(5_000);
                for (int i = 0; i < workers.count(); i++) {
                    if (!workers.isAlive(i) && !workers.isBeingKilled(i)) {
                        workerCrashes.incrementAndGet();
                        notes.add("worker " + i + " exited on its own: " + workers.describe(i));
                        say("worker " + i + " exited on its own (" + workers.describe(i) + "); restarting it");
                        workers.start(i);
                    }
                }
                String counts;
                try {
                    counts = jdbc.getJdbcTemplate().queryForList(
                            "SELECT status || '=' || executions FROM execution_status_counts WHERE executions > 0 "
                                    + "ORDER BY status", String.class).toString();
                } catch (org.springframework.dao.DataAccessException e) {
                    counts = "(database unavailable)";
                }
                say("created " + created.get() + "/" + options.executions() + " " + counts + " faults " + kindsSeen().values().stream().mapToInt(Integer::intValue).sum()
                        + " kills " + kills.get() + " db-restarts " + restarts.get() + " redrives " + redrives.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String pids(WorkerProcesses workers) {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < workers.count(); i++) {
            pids.add(workers.pid(i));
        }
        return pids.toString();
    }

    private void say(String message) {
        long s = started == 0 ? 0 : Duration.ofNanos(System.nanoTime() - started).toSeconds();
        progress.println("[soak " + s + "s] " + message);
        progress.flush();
    }

}
