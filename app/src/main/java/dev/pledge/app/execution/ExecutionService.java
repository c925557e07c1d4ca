package dev.pledge.app.execution;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.audit.AuditEntry;
import dev.pledge.app.audit.AuditEvent;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.ValidationException;
import dev.pledge.common.spi.ExecutorRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The approval workflow, as the API calls it: create, approve, reject, cancel, re-drive, read.
 * Every status change is one compare-and-set statement, written with its audit event in one
 * transaction (the status counters follow in the same transaction, kept by the database).
 */
@Service
public class ExecutionService {
    private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);
    public static final int MAX_ITEMS = 200;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_REASON = 1000;

    private final ExecutionRepository repository;
    private final AccountService accounts;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final ExecutorRegistry executors;
    private final FourEyes fourEyes;
    private final List<ExecutionHooks> hooks;

    ExecutionService(ExecutionRepository repository, AccountService accounts, AuditTrail audit,
                     TransactionTemplate tx, ExecutorRegistry executors, FourEyes fourEyes,
                     List<ExecutionHooks> hooks) {
        this.repository = repository;
        this.accounts = accounts;
        this.audit = audit;
        this.tx = tx;
        this.executors = executors;
        this.fourEyes = fourEyes;
        this.hooks = hooks == null ? List.of() : List.copyOf(hooks);
    }

    /**
     * For callers outside Spring (tests, tools): everything on one template and transaction manager.
     * {@code executors} may be null, and then type-specific checks are skipped at create.
     */
    public static ExecutionService create(org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc,
                                          TransactionTemplate tx, ExecutorRegistry executors) {
        return create(jdbc, tx, executors, List.of());
    }

    /** As {@link #create(org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate, TransactionTemplate, ExecutorRegistry)}, with prices / budgets hooked in. */
    public static ExecutionService create(org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc,
                                          TransactionTemplate tx, ExecutorRegistry executors,
                                          List<ExecutionHooks> hooks) {
        AccountService accounts = new AccountService(jdbc);
        ExecutionRepository repository = new ExecutionRepository(jdbc);
        return new ExecutionService(repository, accounts, new AuditTrail(jdbc), tx, executors,
                FourEyes.byOwner(repository::ownerOf), hooks);
    }

    /**
     * Validates and stores a purchase request in PENDING_APPROVAL with a fresh execution token.
     * Bad input throws {@link ValidationException} naming the field and writes nothing; a reused
     * idempotency key returns the earlier execution, or throws {@link IdempotencyKeyConflictException}
     * when the request differs.
     */
    public CreatedExecution create(NewExecution request) {
        String createdBy = actor("createdBy", request.createdBy());
        if (request.description() != null && request.description().length() > MAX_DESCRIPTION) {
            throw new ValidationException("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (request.idempotencyKey() != null) {
            if (request.idempotencyKey().isBlank() || request.idempotencyKey().length() > 255) {
                throw new ValidationException("idempotencyKey", "must be 1-255 characters");
            }
            if (request.requestHash() == null || request.requestHash().isBlank()) {
                throw new ValidationException("requestHash", "is required with an idempotency key");
            }
        }
        if (request.items().isEmpty()) {
            throw new ValidationException("items", "at least one item is required");
        }
        if (request.items().size() > MAX_ITEMS) {
            throw new ValidationException("items", "at most " + MAX_ITEMS + " items, got " + request.items().size());
        }
        List<PlannedItem> planned = plan(request.items());
        ExecutionToken token = ExecutionToken.generate();
        List<CommitmentRequest> requests = planned.stream().map(PlannedItem::request).toList();
        List<java.util.function.Consumer<UUID>> alsoWrite = hooks.stream().map(h -> h.creating(request, requests))
                .toList();

        UUID id = tx.execute(status -> {
            Optional<UUID> inserted = repository.insert(request, token.value());
            if (inserted.isEmpty()) {
                return null;
            }
            for (int i = 0; i < planned.size(); i++) {
                repository.insertItem(inserted.get(), i, planned.get(i).accountId(), planned.get(i).request());
            }
            alsoWrite.forEach(w -> w.accept(inserted.get()));
            audit.append(AuditEntry.transition(createdBy, "CREATE", inserted.get(), token.value(), null,
                    ExecutionStatus.PENDING_APPROVAL, planned.size() + " item(s)"));
            return inserted.get();
        });
        if (id == null) {
            ExecutionRepository.IdempotentCreate earlier = repository
                    .findByIdempotencyKey(createdBy, request.idempotencyKey())
                    .orElseThrow(() -> new IllegalStateException("idempotency key conflict without a row"));
            if (!earlier.requestHash().equals(request.requestHash())) {
                throw new IdempotencyKeyConflictException(earlier.id());
            }
            return new CreatedExecution(get(earlier.id()).orElseThrow(), true);
        }
        log.info("execution {} created by {} with {} item(s), token {}", id, createdBy, planned.size(), token.masked());
        return new CreatedExecution(get(id).orElseThrow(), false);
    }

    private record PlannedItem(UUID accountId, CommitmentRequest request) {
    }

    /**
     * Checks items exactly as {@link #create} does and stores nothing: the commitment requests they
     * would become, in order (the console's dry run quotes them). Bad input names the field.
     */
    public List<CommitmentRequest> check(List<NewItem> items) {
        if (items == null || items.isEmpty()) {
            throw new ValidationException("items", "at least one item is required");
        }
        if (items.size() > MAX_ITEMS) {
            throw new ValidationException("items", "at most " + MAX_ITEMS + " items, got " + items.size());
        }
        return plan(items).stream().map(PlannedItem::request).toList();
    }

    private List<PlannedItem> plan(List<NewItem> items) {
        Map<UUID, Optional<Account>> seen = new HashMap<>();
        List<PlannedItem> planned = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "items[" + i + "].";
            NewItem item = items.get(i);
            if (item == null) {
                throw new ValidationException("items[" + i + "]", "is required");
            }
            if (item.accountId() == null) {
                throw new ValidationException(prefix + "account", "is required: the id of a registered account");
            }
            Account account = seen.computeIfAbsent(item.accountId(), accounts::find)
                    .orElseThrow(() -> new ValidationException(prefix + "account", "no account with id "
                            + item.accountId()));
            if (!account.enabled()) {
                throw new ValidationException(prefix + "account", "account " + account.id() + " is disabled");
            }
            CommitmentRequest request;
            try {
                request = CommitmentRequest.parse(item.type(), account.externalId(), item.region(), item.offering(),
                        item.quantity(), item.term(), item.payment(), item.attributes());
            } catch (ValidationException e) {
                throw new ValidationException(prefix + e.field(), e.problem());
            }
            if (request.type().cloud() != account.cloud()) {
                throw new ValidationException(prefix + "account", "account " + account.id() + " is in "
                        + account.cloud().slug() + ", but " + request.type().slug() + " is bought in "
                        + request.type().cloud().slug());
            }
            if (executors != null) {
                if (!executors.supports(request.type())) {
                    throw new ValidationException(prefix + "type", request.type().slug()
                            + " cannot be bought by this installation: no executor for it on the class path");
                }
                try {
                    executors.executor(request.type()).validate(request);
                } catch (ValidationException e) {
                    throw new ValidationException(prefix + e.field(), e.problem());
                }
            }
            planned.add(new PlannedItem(account.id(), request));
        }
        return planned;
    }

    /**
     * PENDING_APPROVAL -> APPROVED. Workers are woken at commit (LISTEN/NOTIFY) unless not_before is later.
     * Throws {@link FourEyesException} when the actor's owner created the purchase.
     */
    public TransitionResult approve(UUID id, String actor) {
        String who = actor("actor", actor);
        checkFourEyes(id, who, "APPROVE");
        int needed = id == null ? 1 : hooks.stream().mapToInt(h -> h.approvalsNeeded(id)).max().orElse(1);
        if (needed > 1) {
            TransitionResult first = tx.execute(s -> firstOfTwo(id, who));
            if (first != null) {
                return first;
            }
        }
        String owner = needed > 1 ? repository.ownerOf(who) : null;
        return transition(id, EnumSet.of(ExecutionStatus.PENDING_APPROVAL), ExecutionStatus.APPROVED,
                "approved_by = :actor, approved_at = now()", new MapSqlParameterSource("actor", who),
                who, "APPROVE", needed > 1 ? "second of two approvals" : null, () -> {
                    if (owner != null) {
                        repository.recordApproval(id, who, owner);
                    }
                    hooks.forEach(h -> h.approving(id));
                });
    }

    /** How many approvals a purchase needs and the people who gave theirs (recorded when it needs two). */
    public record Approvals(int needed, List<String> by) {
    }

    public Approvals approvals(UUID id) {
        int needed = hooks.stream().mapToInt(h -> h.approvalsNeeded(id)).max().orElse(1);
        return new Approvals(needed, needed > 1 ? repository.approvalOwners(id) : List.of());
    }

    /**
     * The first approval of a purchase that needs two: recorded, the purchase stays PENDING_APPROVAL. Null when
     * this is the second (another person approved first), or the status is not PENDING_APPROVAL (the transition
     * then says so). The same person approving twice is refused: it is not a second pair of eyes.
     */
    private TransitionResult firstOfTwo(UUID id, String who) {
        Optional<String> status = repository.lockStatus(id);
        if (status.isEmpty() || !ExecutionStatus.PENDING_APPROVAL.name().equals(status.get())) {
            return null;
        }
        String owner = repository.ownerOf(who);
        List<String> before = repository.approvalOwners(id);
        if (before.contains(owner)) {
            throw new FourEyesException(id, "APPROVE", owner, "already approved purchase " + id
                    + " once; it needs a second approval by another person (a second key of the same owner does"
                    + " not count)");
        }
        if (!before.isEmpty()) {
            return null;
        }
        repository.recordApproval(id, who, owner);
        Execution e = repository.find(id).orElseThrow();
        audit.append(AuditEntry.transition(who, "APPROVE_FIRST", id, e.token().value(), ExecutionStatus.PENDING_APPROVAL,
                ExecutionStatus.PENDING_APPROVAL, "first of two approvals (above pledge.purchases."
                        + "second-approval-above); another person must approve"));
        log.info("execution {} first of two approvals by {}; waiting for a second person", id, who);
        return new TransitionResult.FirstApproval(e, owner);
    }

    /** PENDING_APPROVAL -> REJECTED; a reason is required. */
    public TransitionResult reject(UUID id, String actor, String reason) {
        String who = actor("actor", actor);
        if (reason == null || reason.isBlank()) {
            throw new ValidationException("reason", "is required when rejecting");
        }
        if (reason.length() > MAX_REASON) {
            throw new ValidationException("reason", "must be at most " + MAX_REASON + " characters");
        }
        return transition(id, EnumSet.of(ExecutionStatus.PENDING_APPROVAL), ExecutionStatus.REJECTED,
                "rejected_by = :actor, rejected_at = now(), reject_reason = :reason",
                new MapSqlParameterSource("actor", who).addValue("reason", reason.trim()), who, "REJECT",
                reason.trim(), null);
    }

    /**
     * PENDING_APPROVAL or APPROVED -> CANCELED, only while no item has an attempt: an execution handed
     * back to APPROVED (lease sweep, shutdown, re-drive, a busy lock, an in-flight wait) may hold an item
     * that bought or whose outcome is unknown, and a cancel would abandon it. Checked in the statement.
     */
    public TransitionResult cancel(UUID id, String actor) {
        String who = actor("actor", actor);
        if (id == null) {
            throw new ValidationException("id", "is required");
        }
        TransitionResult result = tx.execute(status -> {
            Optional<ExecutionRepository.Changed> changed = repository.cancelIfNotStarted(id,
                    ExecutionStatus.CANCELABLE, who);
            if (changed.isEmpty()) {
                Optional<ExecutionStatus> current = repository.status(id);
                if (current.isEmpty()) {
                    return new TransitionResult.NotFound(id);
                }
                String why = ExecutionStatus.CANCELABLE.contains(current.get())
                        ? repository.firstAttempt(id).map(a -> "cancel is refused: " + a)
                                .orElse(refusal("CANCEL", current.get(), ExecutionStatus.CANCELABLE))
                        : refusal("CANCEL", current.get(), ExecutionStatus.CANCELABLE);
                return new TransitionResult.OtherStatus(id, current.get(), why);
            }
            Execution e = changed.get().execution();
            audit.append(AuditEntry.transition(who, "CANCEL", id, e.token().value(), changed.get().from(),
                    ExecutionStatus.CANCELED, null));
            return new TransitionResult.Moved(e);
        });
        if (result instanceof TransitionResult.Moved m) {
            log.info("execution {} cancel by {}: now CANCELED, token {}", id, who, m.execution().token().masked());
        }
        return result;
    }

    /**
     * FAILED or PARTIALLY_SUCCEEDED -> APPROVED with attempt + 1 and the same token: items not bought go
     * back to PENDING and will go through their executor's guard; bought items are not touched.
     */
    public TransitionResult redrive(UUID id, String actor) {
        String who = actor("actor", actor);
        checkFourEyes(id, who, "REDRIVE");
        return transition(id, ExecutionStatus.REDRIVABLE, ExecutionStatus.APPROVED,
                "attempt = e.attempt + 1, claims = 0, redriven_by = :actor, redriven_at = now(), "
                        + "finished_at = NULL, last_error = NULL",
                new MapSqlParameterSource("actor", who), who, "REDRIVE", "new attempt; items not bought go through "
                        + "their guard again", () -> {
                    repository.resetUnboughtItems(id);
                    hooks.forEach(h -> h.redriving(id));
                });
    }

    /** The creator never changes, so checking before the compare-and-set leaves no gap. */
    private void checkFourEyes(UUID id, String actor, String action) {
        if (id != null) {
            repository.find(id).ifPresent(e -> fourEyes.check(e, actor, action));
        }
    }

    private TransitionResult transition(UUID id, Set<ExecutionStatus> from, ExecutionStatus to, String set,
                                        MapSqlParameterSource params, String actor, String action, String detail,
                                        Runnable alsoInTransaction) {
        if (id == null) {
            throw new ValidationException("id", "is required");
        }
        TransitionResult result = tx.execute(status -> {
            Optional<ExecutionRepository.Changed> changed = repository.compareAndSet(id, from, to, set, params);
            if (changed.isEmpty()) {
                return repository.status(id)
                        .<TransitionResult>map(current -> new TransitionResult.OtherStatus(id, current,
                                refusal(action, current, from)))
                        .orElseGet(() -> new TransitionResult.NotFound(id));
            }
            Execution e = changed.get().execution();
            if (alsoInTransaction != null) {
                alsoInTransaction.run();
            }
            audit.append(AuditEntry.transition(actor, action, id, e.token().value(), changed.get().from(), to,
                    detail));
            return new TransitionResult.Moved(e);
        });
        if (result instanceof TransitionResult.Moved m) {
            log.info("execution {} {} by {}: now {}, token {}", id, action.toLowerCase(), actor, to,
                    m.execution().token().masked());
        }
        return result;
    }

    private static String refusal(String action, ExecutionStatus current, Set<ExecutionStatus> from) {
        return action.toLowerCase() + " needs status " + String.join(" or ", from.stream().map(Enum::name).toList())
                + "; the execution is " + current;
    }

    public Optional<ExecutionDetail> get(UUID id) {
        return repository.find(id).map(e -> new ExecutionDetail(e, repository.items(id)));
    }

    /** Newest first, keyset-paginated: pass the returned cursor to get the next page. */
    public ExecutionPage list(ExecutionQuery query) {
        Instant afterCreatedAt = null;
        UUID afterId = null;
        if (query.cursor() != null) {
            Cursor c = Cursor.decode(query.cursor());
            afterCreatedAt = c.createdAt();
            afterId = c.id();
        }
        List<Execution> rows = repository.list(query, afterCreatedAt, afterId);
        if (rows.size() <= query.limit()) {
            return new ExecutionPage(rows, null);
        }
        List<Execution> page = rows.subList(0, query.limit());
        Execution last = page.get(page.size() - 1);
        return new ExecutionPage(page, new Cursor(last.createdAt(), last.id()).encode());
    }

    /** Executions per status, read from the counters (not COUNT(*)). */
    public Map<ExecutionStatus, Long> summary() {
        return repository.counts();
    }

    public List<AuditEvent> auditTrail(UUID id) {
        return audit.forExecution(id);
    }

    private static String actor(String field, String actor) {
        if (actor == null || actor.isBlank()) {
            throw new ValidationException(field, "is required");
        }
        if (actor.length() > 200 || actor.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException(field, "must be at most 200 characters with no control characters");
        }
        return actor;
    }

    /** The opaque keyset cursor: the last row's creation instant and id. */
    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new ValidationException("cursor", "is not a cursor this service issued");
            }
        }
    }
}
