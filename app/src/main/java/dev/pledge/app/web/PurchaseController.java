package dev.pledge.app.web;

import dev.pledge.app.execution.CreatedExecution;
import dev.pledge.app.execution.Execution;
import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.FourEyesException;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.app.security.ApiPrincipal;
import dev.pledge.app.security.ApiProperties;
import dev.pledge.app.security.Role;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.Parameters;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Purchases and their approval workflow. Every status change is the execution service's
 * compare-and-set: the answer says whether it moved (200), the purchase was in another status (409,
 * with the current status and why), or there is no such purchase (404).
 */
@RestController
@Tag(name = "Purchases", description = "Purchase requests and their approval workflow")
@RequestMapping("/api/v1/purchases")
class PurchaseController {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Keys and hashes are compared as the service stores them: a canonical form of the parsed body. */
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private final ExecutionService executions;
    private final ApiProperties properties;
    private final Clock clock;
    private final dev.pledge.app.price.PriceStore prices;
    private final ActorNames names;

    PurchaseController(ExecutionService executions, ApiProperties properties, dev.pledge.app.price.PriceStore prices,
                       ActorNames names) {
        this.executions = executions;
        this.properties = properties;
        this.prices = prices;
        this.names = names;
        this.clock = Clock.systemUTC();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Request a purchase (REQUESTER); honours Idempotency-Key")
    ResponseEntity<PurchaseView> create(@RequestBody PurchaseRequest body,
                                        @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                        @AuthenticationPrincipal ApiPrincipal me) {
        String key = checkIdempotencyKey(idempotencyKey);
        var items = body.toNewItems(clock.instant());
        CreatedExecution created = executions.create(new NewExecution(me.actor(), body.description(),
                body.notBefore(), items, key, key == null ? null : requestHash(body)));
        ExecutionDetail detail = created.detail();
        var response = ResponseEntity.status(created.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                        .buildAndExpand(detail.execution().id()).toUri());
        if (created.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(names.named(PurchaseView.of(detail, prices.quotes(detail.execution().id()))));
    }

    @GetMapping
    @Operation(summary = "List purchases, newest first, with filters and a keyset cursor (any role)")
    @Parameters({
            @Parameter(name = "cloud", in = ParameterIn.QUERY, description = "aws, azure or gcp"),
            @Parameter(name = "account", in = ParameterIn.QUERY, description = "an account id"),
            @Parameter(name = "createdFrom", in = ParameterIn.QUERY, description = "inclusive, e.g. 2026-11-01T00:00:00Z"),
            @Parameter(name = "createdBefore", in = ParameterIn.QUERY, description = "exclusive"),
            @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1-200, default 50"),
            @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "nextCursor of the previous page")})
    PurchasePage list(@Parameter(hidden = true) @RequestParam Map<String, String> allParameters,
                      @Parameter(description = "statuses, repeated or comma-separated")
                      @RequestParam(name = "status", required = false) List<String> status) {
        return names.named(PurchaseListing.query(allParameters, status).run(executions));
    }

    @GetMapping("/summary")
    @Operation(summary = "Purchases per status, from the status counters (any role)")
    Map<String, Object> summary() {
        Map<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
        for (ExecutionStatus s : ExecutionStatus.values()) {
            counts.put(s, 0L);
        }
        counts.putAll(executions.summary());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counts", counts);
        out.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
        return out;
    }

    @GetMapping("/{id}")
    @Operation(summary = "One purchase with its items, outcomes and commitment ids (any role)")
    PurchaseView get(@PathVariable UUID id) {
        return names.named(PurchaseView.of(find(id), prices.quotes(id)).withApprovals(executions.approvals(id)));
    }

    @GetMapping("/{id}/events")
    @Operation(summary = "The audit trail of a purchase, oldest first (any role)")
    Map<String, Object> events(@PathVariable UUID id) {
        find(id);
        return Map.of("purchase", id, "events", executions.auditTrail(id).stream().map(EventView::of).toList());
    }

    @PostMapping("/{id}/approve")
    @Operation(summary = "Approve (APPROVER of another owner than the creator's)")
    PurchaseView approve(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        find(id);
        try {
            return moved(id, executions.approve(id, me.actor()), "approve");
        } catch (FourEyesException e) {
            throw fourEyes(id, me, e);
        }
    }

    private static ProblemException fourEyes(UUID id, ApiPrincipal me, FourEyesException e) {
        return new ProblemException(Problem.of(HttpStatus.FORBIDDEN, "four-eyes", "Same person refused",
                e.getMessage() + "; this request came from " + me.describe()).with("purchase", id));
    }

    @PostMapping(path = "/{id}/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Reject with a reason (APPROVER)")
    PurchaseView reject(@PathVariable UUID id, @RequestBody RejectRequest body,
                        @AuthenticationPrincipal ApiPrincipal me) {
        if (body.reason() == null || body.reason().isBlank()) {
            throw new ValidationException("reason", "is required: say why the purchase is rejected");
        }
        Text.printable("reason", body.reason());
        return moved(id, executions.reject(id, me.actor(), body.reason()), "reject");
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel before any item has been attempted (the creator or ADMIN); 409 naming the item "
            + "once one has")
    PurchaseView cancel(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        Execution e = find(id).execution();
        if (!me.has(Role.ADMIN) && !e.createdBy().equals(me.actor())) {
            throw new ProblemException(Problem.of(HttpStatus.FORBIDDEN, "forbidden", "Role missing",
                    "only the key that created purchase " + id + " (" + e.createdBy() + ") or an ADMIN key may "
                            + "cancel it").with("purchase", id));
        }
        return moved(id, executions.cancel(id, me.actor()), "cancel");
    }

    @PostMapping("/{id}/redrive")
    @Operation(summary = "Re-drive a FAILED or PARTIALLY_SUCCEEDED purchase with the same token (APPROVER of another "
            + "owner than the creator's)")
    PurchaseView redrive(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        find(id);
        try {
            return moved(id, executions.redrive(id, me.actor()), "redrive");
        } catch (FourEyesException e) {
            throw fourEyes(id, me, e);
        }
    }

    private ExecutionDetail find(UUID id) {
        return executions.get(id).orElseThrow(() -> notFound(id));
    }

    private PurchaseView moved(UUID id, TransitionResult result, String action) {
        if (result instanceof TransitionResult.Moved || result instanceof TransitionResult.FirstApproval) {
            return names.named(PurchaseView.of(find(id), prices.quotes(id)).withApprovals(executions.approvals(id)));
        }
        if (result instanceof TransitionResult.OtherStatus other) {
            throw new ProblemException(Problem.of(HttpStatus.CONFLICT, "status-conflict", "Not possible in this status",
                            conflict(id, action, other)).with("purchase", id)
                    .with("currentStatus", other.current().name()));
        }
        throw notFound(id);
    }

    private String conflict(UUID id, String action, TransitionResult.OtherStatus other) {
        Execution now = executions.get(id).map(ExecutionDetail::execution).orElse(null);
        if ("approve".equals(action) && now != null && now.approvedBy() != null) {
            return "purchase " + id + " was already approved by " + now.approvedBy() + " at " + now.approvedAt()
                    + "; it is " + other.current() + " now. Nothing was changed";
        }
        String hint = switch (action) {
            case "cancel" -> " (a purchase can be canceled only before a worker starts it: never once an item has "
                    + "been attempted)";
            case "redrive" -> " (only a FAILED or PARTIALLY_SUCCEEDED purchase can be re-driven)";
            default -> "";
        };
        return "purchase " + id + ": " + other.reason() + hint + ". Nothing was changed";
    }

    static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "there is no purchase " + id).with("purchase", id));
    }

    private static String checkIdempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ValidationException(IDEMPOTENCY_KEY, "must be 1-255 printable characters without spaces, "
                    + "e.g. a UUID");
        }
        return key;
    }

    /** SHA-256 of the body as parsed (so whitespace or key order do not make two requests differ). */
    static String requestHash(PurchaseRequest body) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
