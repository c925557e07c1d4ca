package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.app.testing.TestCloud;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ExecutorRegistry;
import dev.pledge.common.spi.ProviderSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's parts assembled by hand on a test schema, the way EngineConfiguration wires them. */
final class EngineFixture {
    private static final AtomicInteger ACCOUNTS = new AtomicInteger(100_000_000);
    /** The purchase gate's budget, as the default cloud settings give it. */
    static final Duration GUARD_BUDGET = ProviderSettings.defaults().guardBudget();

    final TestSchema db;
    final JdbcTemplate sql;
    final NamedParameterJdbcTemplate jdbc;
    final TransactionTemplate tx;
    final AuditTrail audit;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final EngineMetrics metrics = new EngineMetrics(meters);
    final AccountService accounts;
    final ExecutionService executions;
    final ExecutorRegistry executors;
    final EngineProperties properties;
    final WorkerStore store;
    final PurchaseLocks locks;

    EngineFixture(TestSchema db, ExecutorRegistry executors, EngineProperties properties) {
        this(db, db.dataSource(), executors, properties);
    }

    /** The engine's parts on {@code dataSource} (e.g. a counting wrapper of the schema's pool). */
    EngineFixture(TestSchema db, DataSource dataSource, ExecutorRegistry executors, EngineProperties properties) {
        this.db = db;
        this.sql = db.jdbc();
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.audit = new AuditTrail(jdbc);
        this.accounts = new AccountService(jdbc);
        this.executors = executors;
        this.executions = ExecutionService.create(jdbc, tx, executors);
        this.properties = properties;
        this.store = new WorkerStore(jdbc, tx, audit, metrics);
        this.locks = new PurchaseLocks(dataSource, properties.lockBusyBackoff());
    }

    /** Short leases and intervals, so nothing in a test waits long. */
    static EngineProperties fast() {
        return properties(Duration.ofSeconds(2), Duration.ofMillis(200), 3, Duration.ofDays(7));
    }

    /** Leases long enough that a loaded machine never loses one by accident (tests that are not about leases). */
    static EngineProperties steady() {
        return properties(Duration.ofSeconds(10), Duration.ofMillis(200), 3, Duration.ofDays(7));
    }

    static EngineProperties properties(Duration lease, Duration heartbeat, int maxClaims, Duration approvalTtl) {
        return new EngineProperties(true, 4, lease, heartbeat, Duration.ofMillis(100), maxClaims,
                Duration.ofSeconds(1), Duration.ofMillis(500), approvalTtl, Duration.ofSeconds(1),
                Duration.ofMillis(500), 100, Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMillis(500), 8);
    }

    static EngineProperties withWorkers(EngineProperties p, int workers, Duration pollInterval) {
        return new EngineProperties(p.enabled(), workers, p.lease(), p.heartbeat(), pollInterval, p.maxClaims(),
                p.leaseSweepInterval(), p.leaseSweepDeadline(), p.approvalTtl(), p.approvalSweepInterval(),
                p.approvalSweepDeadline(), p.sweepBatchSize(), p.lockBusyBackoff(), p.shutdownGrace(),
                p.confirmationSweepInterval(), p.confirmationSweepDeadline(), p.claimBatch());
    }

    Account awsAccount() {
        String external = String.valueOf(ACCOUNTS.incrementAndGet()) + "123";
        return accounts.create(new NewAccount(Cloud.AWS, external, "test account " + external, Map.of()));
    }

    static NewItem rds(Account account, int quantity) {
        return new NewItem(account.id(), "aws-rds", "us-east-1", "db.r6g.large", quantity, "1y", "no-upfront", Map.of());
    }

    UUID pendingExecution(Account account, int items) {
        List<NewItem> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(rds(account, i + 1));
        }
        return executions.create(NewExecution.of("requester-key", "test purchase", list)).detail().execution().id();
    }

    UUID approvedExecution(Account account, int items) {
        UUID id = pendingExecution(account, items);
        TransitionResult r = executions.approve(id, "approver-key");
        if (!r.moved()) {
            throw new AssertionError("approve did not move: " + r);
        }
        return id;
    }

    /** A new account of {@code cloud}'s, registered in the store. */
    Account account(TestCloud cloud, String name) {
        String external = cloud.newExternalAccountId();
        return accounts.create(new NewAccount(cloud.cloud(), external, name + " " + external, Map.of()));
    }

    /** An approved execution buying {@code items} of {@code cloud}'s items for the account. */
    UUID approved(TestCloud cloud, Account account, int items) {
        List<NewItem> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(cloud.item(account, i));
        }
        UUID id = executions.create(NewExecution.of("requester", "engine test", list)).detail().execution().id();
        TransitionResult r = executions.approve(id, "approver");
        if (!r.moved()) {
            throw new AssertionError("approve did not move: " + r);
        }
        return id;
    }

    ExecutionRun run(ClaimedExecution claimed) {
        return new ExecutionRun(claimed, store, locks, executors, metrics, () -> false, GUARD_BUDGET);
    }

    LeaseSweep leaseSweep(Clock clock) {
        return new LeaseSweep(jdbc, tx, audit, metrics, new SweepCycle(clock), properties);
    }

    ConfirmationSweep confirmationSweep(Clock clock) {
        return new ConfirmationSweep(jdbc, executors, metrics, new SweepCycle(clock), properties);
    }

    ApprovalExpirySweep approvalSweep(Clock clock) {
        return new ApprovalExpirySweep(jdbc, tx, audit, metrics, new SweepCycle(clock), properties);
    }

    WorkerPool pool(int workers, Duration pollInterval) {
        return new WorkerPool(store, locks, executors, metrics, withWorkers(properties, workers, pollInterval),
                new WakeUpSignal(), GUARD_BUDGET);
    }

    String status(UUID id) {
        return sql.queryForObject("SELECT status FROM executions WHERE id = ?", String.class, id);
    }

    double counter(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
