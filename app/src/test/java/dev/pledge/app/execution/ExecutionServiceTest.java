package dev.pledge.app.execution;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.audit.AuditEvent;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionServiceTest {
    private TestSchema db;
    private JdbcTemplate sql;
    private ExecutionService executions;
    private AccountService accounts;
    private Account aws;
    private Account gcp;

    @BeforeAll
    void setUp(TestSchema db) {
        this.db = db;
        this.sql = db.jdbc();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(db.dataSource());
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
        executions = ExecutionService.create(jdbc, tx, new ExecutorRegistry(List.of(new InMemoryRdsCloud())));
        accounts = new AccountService(jdbc);
        aws = accounts.create(new NewAccount(Cloud.AWS, "123456789012", "prod", Map.of("roleArn",
                "arn:aws:iam::123456789012:role/pledge-buyer")));
        gcp = accounts.create(new NewAccount(Cloud.GCP, "my-project", "gcp project", Map.of()));
    }

    private NewItem rds(Account account) {
        return new NewItem(account.id(), "aws-rds", "us-east-1", "db.r6g.large", 2, "1y", "no-upfront", Map.of());
    }

    private UUID pending() {
        return executions.create(NewExecution.of("requester", "two RDS nodes", List.of(rds(aws))))
                .detail().execution().id();
    }

    @Test
    void a_transition_that_applies_reports_moved_with_the_new_state() {
        UUID id = pending();

        TransitionResult r = executions.approve(id, "approver");

        assertThat(r).isInstanceOf(TransitionResult.Moved.class);
        Execution e = ((TransitionResult.Moved) r).execution();
        assertThat(e.status()).isEqualTo(ExecutionStatus.APPROVED);
        assertThat(e.approvedBy()).isEqualTo("approver");
        assertThat(sql.queryForObject("SELECT status FROM executions WHERE id = ?", String.class, id)).isEqualTo("APPROVED");
    }

    @Test
    void a_change_the_current_status_does_not_allow_reports_the_status_it_found() {
        UUID id = pending();
        executions.approve(id, "approver");

        TransitionResult second = executions.approve(id, "another approver");
        TransitionResult reject = executions.reject(id, "approver", "too late");

        assertThat(second).isEqualTo(new TransitionResult.OtherStatus(id, ExecutionStatus.APPROVED,
                "approve needs status PENDING_APPROVAL; the execution is APPROVED"));
        assertThat(reject).isInstanceOf(TransitionResult.OtherStatus.class);
        assertThat(sql.queryForObject("SELECT approved_by FROM executions WHERE id = ?", String.class, id))
                .isEqualTo("approver");
    }

    @Test
    void a_change_of_an_execution_that_does_not_exist_reports_not_found() {
        UUID missing = UUID.randomUUID();

        assertThat(executions.approve(missing, "approver")).isEqualTo(new TransitionResult.NotFound(missing));
        assertThat(executions.cancel(missing, "approver")).isEqualTo(new TransitionResult.NotFound(missing));
        assertThat(executions.redrive(missing, "approver")).isEqualTo(new TransitionResult.NotFound(missing));
    }

    @Test
    void a_database_error_propagates_and_is_neither_a_lost_race_nor_not_found() throws Exception {
        UUID id = pending();
        // a service whose statements give up after 200 ms waiting for a row lock
        DriverManagerDataSource impatient = new DriverManagerDataSource(
                db.url() + "&options=-c%20lock_timeout%3D200", db.user(), db.password());
        ExecutionService service = ExecutionService.create(new NamedParameterJdbcTemplate(impatient),
                new TransactionTemplate(new DataSourceTransactionManager(impatient)), null);

        try (Connection holder = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM executions WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, id);
                lock.executeQuery();
            }
            assertThatThrownBy(() -> service.approve(id, "approver"))
                    .isInstanceOf(DataAccessException.class)
                    .rootCause().hasMessageContaining("lock");
            holder.rollback();
        }
        assertThat(sql.queryForObject("SELECT status FROM executions WHERE id = ?", String.class, id))
                .isEqualTo("PENDING_APPROVAL");
        assertThat(executions.auditTrail(id)).extracting(AuditEvent::action).containsExactly("CREATE");
        assertThat(service.approve(id, "approver")).isInstanceOf(TransitionResult.Moved.class);
    }

    @Test
    void approve_and_cancel_racing_on_threads_exactly_one_wins_every_time() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                UUID id = pending();
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<TransitionResult> approve = () -> {
                    start.await();
                    return executions.approve(id, "approver");
                };
                Callable<TransitionResult> cancel = () -> {
                    start.await();
                    return executions.cancel(id, "requester");
                };
                Future<TransitionResult> a = threads.submit(approve);
                Future<TransitionResult> c = threads.submit(cancel);
                TransitionResult ra = a.get(10, TimeUnit.SECONDS);
                TransitionResult rc = c.get(10, TimeUnit.SECONDS);

                String status = sql.queryForObject("SELECT status FROM executions WHERE id = ?", String.class, id);
                if (ra.moved()) {
                    // cancel may still win after approve (APPROVED can be canceled before it runs)
                    assertThat(status).isIn("APPROVED", "CANCELED");
                    if (status.equals("APPROVED")) {
                        assertThat(rc).isInstanceOf(TransitionResult.OtherStatus.class);
                    }
                } else {
                    assertThat(ra).isEqualTo(new TransitionResult.OtherStatus(id, ExecutionStatus.CANCELED,
                            "approve needs status PENDING_APPROVAL; the execution is CANCELED"));
                    assertThat(rc.moved()).isTrue();
                    assertThat(status).isEqualTo("CANCELED");
                }
                List<String> actions = executions.auditTrail(id).stream().map(AuditEvent::action).toList();
                assertThat(actions.size() - 1).as("one audit event per change that happened")
                        .isEqualTo((ra.moved() ? 1 : 0) + (rc.moved() ? 1 : 0));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void redrive_is_refused_with_a_reason_unless_failed_or_partially_succeeded() {
        UUID id = pending();

        TransitionResult r = executions.redrive(id, "approver");

        assertThat(r).isInstanceOf(TransitionResult.OtherStatus.class);
        assertThat(((TransitionResult.OtherStatus) r).reason())
                .isEqualTo("redrive needs status PARTIALLY_SUCCEEDED or FAILED; the execution is PENDING_APPROVAL");
    }

    @Test
    void cancel_is_allowed_while_approved_work_waits_for_not_before() {
        UUID id = executions.create(new NewExecution("requester", "later", Instant.now().plusSeconds(3600),
                List.of(rds(aws)), null, null)).detail().execution().id();
        executions.approve(id, "approver");

        assertThat(executions.cancel(id, "requester").moved()).isTrue();
        assertThat(executions.get(id).orElseThrow().execution().canceledBy()).isEqualTo("requester");
    }

    @Test
    void bad_input_is_refused_naming_the_field_and_nothing_is_written() {
        int before = count();
        List<Runnable> bad = List.of(
                () -> executions.create(NewExecution.of("", "x", List.of(rds(aws)))),
                () -> executions.create(NewExecution.of("requester", "x", List.of())),
                () -> executions.create(NewExecution.of("requester", "x", List.of(
                        new NewItem(aws.id(), "aws-rds", "us-east-1", "db.r6g.large", 0, "1y", "no-upfront", Map.of())))),
                () -> executions.create(NewExecution.of("requester", "x", List.of(rds(aws),
                        new NewItem(aws.id(), "aws-rds", "us-east-1", "db.r6g.large", 1, "5y", "no-upfront", Map.of())))),
                () -> executions.create(NewExecution.of("requester", "x", List.of(
                        new NewItem(UUID.randomUUID(), "aws-rds", "us-east-1", "db.r6g.large", 1, "1y", "no-upfront", Map.of())))),
                () -> executions.create(NewExecution.of("requester", "x", List.of(rds(gcp)))),
                () -> executions.create(NewExecution.of("requester", "x", List.of(
                        new NewItem(aws.id(), "aws-ec2", "us-east-1", "m5.large", 1, "1y", "no-upfront", Map.of())))),
                () -> executions.create(NewExecution.of("requester", "x".repeat(2001), List.of(rds(aws)))),
                () -> executions.create(NewExecution.of("requester", "x", java.util.Arrays.asList(rds(aws), null))),
                () -> executions.reject(UUID.randomUUID(), "approver", " "));
        List<String> fields = new ArrayList<>();
        for (Runnable r : bad) {
            assertThatThrownBy(r::run).isInstanceOf(ValidationException.class)
                    .satisfies(e -> fields.add(((ValidationException) e).field()));
        }
        assertThat(fields).containsExactly("createdBy", "items", "items[0].quantity", "items[1].term",
                "items[0].account", "items[0].account", "items[0].type", "description", "items[1]", "reason");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void the_same_idempotency_key_returns_the_same_execution_and_a_different_request_is_refused() {
        NewExecution first = new NewExecution("requester-k", "once", null, List.of(rds(aws)), "key-1", "hash-a");
        CreatedExecution a = executions.create(first);
        CreatedExecution again = executions.create(first);

        assertThat(a.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.detail().execution().id()).isEqualTo(a.detail().execution().id());
        assertThatThrownBy(() -> executions.create(new NewExecution("requester-k", "other", null, List.of(rds(aws)),
                "key-1", "hash-b")))
                .isInstanceOf(IdempotencyKeyConflictException.class)
                .hasMessageContaining(a.detail().execution().id().toString());
        assertThat(sql.queryForObject("SELECT count(*) FROM executions WHERE idempotency_key = 'key-1'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void listing_pages_newest_first_with_a_keyset_cursor_and_filters() {
        Account other = accounts.create(new NewAccount(Cloud.AWS, "210987654321", "listing", Map.of()));
        Set<UUID> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(executions.create(NewExecution.of("lister", "n" + i, List.of(rds(other))))
                    .detail().execution().id());
        }
        ExecutionQuery query = new ExecutionQuery(Set.of(ExecutionStatus.PENDING_APPROVAL), Cloud.AWS, other.id(),
                null, null, 2, null);

        List<Execution> seen = new ArrayList<>();
        ExecutionPage page = executions.list(query);
        int pages = 1;
        seen.addAll(page.executions());
        while (page.nextCursor() != null) {
            page = executions.list(query.after(page.nextCursor()));
            seen.addAll(page.executions());
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).extracting(Execution::id).containsExactlyInAnyOrderElementsOf(created);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i - 1).createdAt()).isAfterOrEqualTo(seen.get(i).createdAt());
        }
        assertThatThrownBy(() -> executions.list(query.after("not-a-cursor")))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("cursor:");
    }

    @Test
    void every_change_is_in_the_audit_trail_with_its_actor_and_a_masked_token() {
        UUID id = pending();
        executions.approve(id, "approver");
        executions.cancel(id, "admin");
        String token = executions.get(id).orElseThrow().execution().token().value();

        List<AuditEvent> events = executions.auditTrail(id);

        assertThat(events).extracting(AuditEvent::action).containsExactly("CREATE", "APPROVE", "CANCEL");
        assertThat(events).extracting(AuditEvent::actor).containsExactly("requester", "approver", "admin");
        assertThat(events).extracting(AuditEvent::toStatus).containsExactly("PENDING_APPROVAL", "APPROVED", "CANCELED");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.tokenMasked()).isEqualTo(token.substring(0, 8) + "…");
            assertThat(e.tokenMasked()).doesNotContain(token);
        });
    }

    @Test
    void the_summary_reads_the_counters_which_follow_every_change() {
        UUID id = pending();
        executions.reject(id, "approver", "not this quarter");

        assertThat(executions.summary()).isEqualTo(countStar());
    }

    private Map<ExecutionStatus, Long> countStar() {
        Map<ExecutionStatus, Long> counts = new java.util.EnumMap<>(ExecutionStatus.class);
        for (ExecutionStatus s : ExecutionStatus.values()) {
            counts.put(s, 0L);
        }
        sql.query("SELECT status, count(*) AS n FROM executions GROUP BY status",
                rs -> {
                    counts.put(ExecutionStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        return counts;
    }

    private int count() {
        return sql.queryForObject("SELECT (SELECT count(*) FROM executions) + (SELECT count(*) FROM items) "
                + "+ (SELECT count(*) FROM audit_events)", Integer.class);
    }
}
