package dev.pledge.app.recommendation;

import dev.pledge.app.insight.InsightConfiguration;
import dev.pledge.app.insight.InsightProperties;
import dev.pledge.app.insight.InsightRefresher;
import dev.pledge.app.security.ApiPrincipal;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The clouds' purchase recommendations: list, read, refresh (ADMIN or APPROVER), propose (REQUESTER). */
@RestController
@Tag(name = "Recommendations", description = "What the clouds recommend buying, and proposals from it")
@RequestMapping("/api/v1/recommendations")
class RecommendationController {
    private final RecommendationStore store;
    private final ProposalService proposals;
    private final InsightRefresher refresher;
    private final InsightConfiguration.RefreshLock lock;
    private final InsightProperties properties;

    RecommendationController(RecommendationStore store, ProposalService proposals, InsightRefresher refresher,
                             InsightConfiguration.RefreshLock lock, InsightProperties properties) {
        this.store = store;
        this.proposals = proposals;
        this.refresher = refresher;
        this.lock = lock;
        this.properties = properties;
    }

    @GetMapping
    @Operation(summary = "Current recommendations, largest savings first (any role); filters: cloud, type, account, "
            + "minMonthlySavings, maxBreakEvenMonths, recentlyBought")
    Map<String, Object> list(@RequestParam(required = false) String cloud, @RequestParam(required = false) String type,
                             @RequestParam(required = false) String account,
                             @RequestParam(required = false) String minMonthlySavings,
                             @RequestParam(required = false) String maxBreakEvenMonths,
                             @RequestParam(required = false) String recentlyBought) {
        var filter = new RecommendationStore.Filter(
                cloud == null ? null : Cloud.fromSlug("cloud", cloud).slug(),
                type == null ? null : CommitmentType.fromSlug("type", type).slug(),
                account == null ? null : uuid("account", account),
                decimal("minMonthlySavings", minMonthlySavings), decimal("maxBreakEvenMonths", maxBreakEvenMonths),
                recentlyBought == null ? null : bool("recentlyBought", recentlyBought));
        return Map.of("recommendations", store.list(filter, properties.recentlyBoughtDays()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One recommendation, of any generation (any role)")
    RecommendationView get(@PathVariable UUID id) {
        return find(id);
    }

    @PostMapping("/refresh")
    @Operation(summary = "Refresh inventory and recommendations of every enabled account now (ADMIN or APPROVER); "
            + "Cost Explorer bills each call")
    Map<String, Object> refresh() {
        var summary = lock.run(() -> refresher.refreshAll(p -> { })).orElseThrow(() -> new ProblemException(
                Problem.of(HttpStatus.CONFLICT, "refresh-running", "A refresh is running",
                        "another refresh holds the lock; try again when it has finished")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sources", summary.sources());
        out.put("refreshed", summary.refreshed());
        out.put("failed", summary.failed());
        out.put("recommendations", summary.recommendations());
        out.put("commitments", summary.commitments());
        out.put("failures", summary.failures());
        return out;
    }

    record ProposeRequest(BigDecimal fraction, Integer count, Boolean override, String reason) {
    }

    @PostMapping("/{id}/propose")
    @Operation(summary = "Create a PENDING_APPROVAL purchase from a recommendation (REQUESTER); the same "
            + "recommendation generation always gives the same purchase")
    ResponseEntity<Map<String, Object>> propose(@PathVariable UUID id,
                                                @RequestBody(required = false) ProposeRequest body,
                                                @AuthenticationPrincipal ApiPrincipal me) {
        ProposeRequest b = body == null ? new ProposeRequest(null, null, null, null) : body;
        ProposalService.Proposed proposed;
        try {
            proposed = proposals.propose(id, new ProposalService.Scale(b.fraction(), b.count()), me.actor(),
                    Boolean.TRUE.equals(b.override()), b.reason());
        } catch (ProposalRefusedException e) {
            throw new ProblemException(problem(e));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("purchase", proposed.purchase());
        out.put("recommendation", id);
        out.put("replayed", proposed.replayed());
        return ResponseEntity.status(proposed.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(URI.create("/api/v1/purchases/" + proposed.purchase())).body(out);
    }

    private Problem problem(ProposalRefusedException e) {
        UUID id = e.recommendation();
        RecommendationView r = e.view();
        return switch (e.reason()) {
            case NOT_FOUND -> notFound(id);
            case SUPERSEDED -> Problem.of(HttpStatus.CONFLICT, "superseded", "Recommendation superseded",
                    "recommendation " + id + " is from generation " + r.generation() + ", which a later refresh "
                            + "replaced; propose a current one from GET /api/v1/recommendations").with("recommendation", id);
            case RECENTLY_BOUGHT -> Problem.of(HttpStatus.CONFLICT, "recently-bought", "Recently bought",
                    "Pledge bought " + r.type() + " " + r.offering() + " in " + r.region() + " for this account within "
                            + "the last " + e.recentlyBoughtDays() + " days, and the cloud's recommendations "
                            + "reflect a purchase only after a day or two: this may buy the same capacity twice. "
                            + "Send {\"override\": true, \"reason\": \"...\"} to propose it anyway")
                    .with("recommendation", id);
        };
    }

    private static Problem notFound(UUID id) {
        return Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "there is no recommendation " + id)
                .with("recommendation", id);
    }

    private RecommendationView find(UUID id) {
        return store.find(id, properties.recentlyBoughtDays()).orElseThrow(() -> new ProblemException(notFound(id)));
    }

    static UUID uuid(String field, String v) {
        try {
            return UUID.fromString(v.trim());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "must be an account id (a UUID from GET /api/v1/accounts), was '"
                    + v + "'");
        }
    }

    static BigDecimal decimal(String field, String v) {
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "must be a decimal number, was '" + v + "'");
        }
    }

    static boolean bool(String field, String v) {
        if ("true".equalsIgnoreCase(v.trim()) || "false".equalsIgnoreCase(v.trim())) {
            return Boolean.parseBoolean(v.trim());
        }
        throw new ValidationException(field, "must be true or false, was '" + v + "'");
    }

}
