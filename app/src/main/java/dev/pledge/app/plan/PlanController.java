package dev.pledge.app.plan;

import dev.pledge.app.security.ApiPrincipal;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** Plans: reading any role; creating, approving (another owner), pausing, resuming, running now: ADMIN. */
@RestController
@Tag(name = "Plans", description = "Purchases proposed from recommendations on a cadence, in ladders")
@RequestMapping("/api/v1/plans")
class PlanController {
    private final Plans plans;

    PlanController(Plans plans) {
        this.plans = plans;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a plan (ADMIN); it runs once another owner approves it")
    ResponseEntity<Plan> create(@RequestBody NewPlan body, @AuthenticationPrincipal ApiPrincipal me) {
        return ResponseEntity.status(HttpStatus.CREATED).body(plans.create(body, me.actor()));
    }

    @GetMapping
    @Operation(summary = "Every plan, newest first (any role)")
    Map<String, Object> list() {
        return Map.of("plans", plans.list());
    }

    @GetMapping("/{id}")
    @Operation(summary = "A plan with its next run and the history of its cycles (any role)")
    Map<String, Object> get(@PathVariable UUID id) {
        Plan plan = plans.find(id).orElseThrow(() -> refused(new PlanRefusedException(404, "no plan " + id)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plan", plan);
        out.put("nextRunAt", plan.nextRunAt());
        out.put("history", plans.history(id));
        return out;
    }

    @PostMapping("/{id}/approve")
    @Operation(summary = "Approve a plan created by another owner (ADMIN)")
    Plan approve(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        return call(() -> plans.approve(id, me.actor()));
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Pause an active plan: no cycle runs and nothing is auto-approved (ADMIN)")
    Plan pause(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        return call(() -> plans.pause(id, me.actor()));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume a paused plan (ADMIN)")
    Plan resume(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        return call(() -> plans.resume(id, me.actor()));
    }

    @PostMapping("/{id}/run-now")
    @Operation(summary = "Run the current cycle now (ADMIN); a cycle that already ran proposes nothing new")
    Plans.CycleResult runNow(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        return call(() -> plans.runNow(id, me.actor()));
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (PlanRefusedException e) {
            throw refused(e);
        }
    }

    private static ProblemException refused(PlanRefusedException e) {
        HttpStatus status = HttpStatus.valueOf(e.status());
        String type = switch (e.status()) {
            case 404 -> "not-found";
            case 403 -> "four-eyes";
            default -> "status-conflict";
        };
        return new ProblemException(Problem.of(status, type, status.getReasonPhrase(), e.getMessage()));
    }

    static List<String> actions() {
        return List.of("approve", "pause", "resume", "run-now");
    }
}
