package dev.pledge.app.console;

import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionPage;
import dev.pledge.app.execution.ExecutionQuery;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.FourEyesException;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.common.model.ValidationException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The purchase list and the purchase page with its actions. Every action repeats the check that
 * decided whether its button is shown ({@link PurchaseActions}) before it calls the execution service,
 * whose compare-and-set settles races; the answer is shown on the purchase page.
 */
@Controller
class PurchasePages {
    static final int PAGE_SIZE = 25;
    private static final Logger log = LoggerFactory.getLogger(PurchasePages.class);

    private final ExecutionService executions;
    private final PurchaseActions actions;
    private final Quotes quotes;
    private final ConsoleProperties properties;

    PurchasePages(ExecutionService executions, PurchaseActions actions, Quotes quotes, ConsoleProperties properties) {
        this.executions = executions;
        this.actions = actions;
        this.quotes = quotes;
        this.properties = properties;
    }

    @GetMapping("/console/purchases")
    String list(@RequestParam(name = "status", required = false) List<String> status,
                @RequestParam(name = "cursor", required = false) String cursor, Person me, Model model,
                HttpServletResponse response) {
        Set<ExecutionStatus> statuses = EnumSet.noneOf(ExecutionStatus.class);
        String problem = null;
        for (String s : status == null ? List.<String>of() : status) {
            for (String one : s.split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                Optional<ExecutionStatus> parsed = Arrays.stream(ExecutionStatus.values())
                        .filter(v -> v.name().equalsIgnoreCase(one.trim())).findFirst();
                if (parsed.isPresent()) {
                    statuses.add(parsed.get());
                } else {
                    problem = "status: unknown status '" + one.trim() + "'";
                }
            }
        }
        ExecutionPage page;
        try {
            page = executions.list(new ExecutionQuery(statuses, null, null, null, null, PAGE_SIZE,
                    cursor == null || cursor.isBlank() ? null : cursor));
        } catch (ValidationException e) {
            problem = e.field() + ": " + e.problem();
            page = executions.list(new ExecutionQuery(statuses, null, null, null, null, PAGE_SIZE, null));
        }
        if (problem != null) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
        }
        model.addAttribute("me", me);
        model.addAttribute("problem", problem);
        model.addAttribute("statuses", Arrays.stream(ExecutionStatus.values())
                .map(s -> Map.of("name", s.name(), "label", Labels.words(s.name()),
                        "checked", statuses.contains(s))).toList());
        model.addAttribute("filter", statuses.stream().map(Enum::name).sorted().reduce((a, b) -> a + "," + b)
                .orElse(""));
        model.addAttribute("rows", page.executions().stream()
                .map(e -> PurchaseViews.Row.of(e, actions::personOf)).toList());
        model.addAttribute("nextCursor", page.nextCursor());
        return "console/purchases";
    }

    @GetMapping("/console/purchases/{id}")
    String page(@PathVariable String id, Person me, Model model, HttpServletResponse response) {
        Optional<ExecutionDetail> detail = find(id);
        if (detail.isEmpty()) {
            return notFound(id, model, response);
        }
        model.addAttribute("me", me);
        model.addAttribute("p", view(detail.get(), me, true));
        model.addAttribute("pollSeconds", Math.max(1, properties.pollInterval().toSeconds()));
        return "console/purchase";
    }

    /** The part of the purchase page that changes while it runs; htmx asks for it until it is finished. */
    @GetMapping("/console/purchases/{id}/live")
    String live(@PathVariable String id, Person me, Model model, HttpServletResponse response) {
        Optional<ExecutionDetail> detail = find(id);
        if (detail.isEmpty()) {
            return notFound(id, model, response);
        }
        model.addAttribute("me", me);
        model.addAttribute("p", view(detail.get(), me, false));
        model.addAttribute("pollSeconds", Math.max(1, properties.pollInterval().toSeconds()));
        return "console/purchase :: live";
    }

    @PostMapping("/console/purchases/{id}/approve")
    String approve(@PathVariable String id, Person me, RedirectAttributes flash, Model model,
                   HttpServletResponse response) {
        return act(id, me, flash, model, response, PurchaseActions.Allowed::approve,
                u -> executions.approve(u, me.actor()), "approved");
    }

    @PostMapping("/console/purchases/{id}/reject")
    String reject(@PathVariable String id, @RequestParam(name = "reason", required = false) String reason,
                  Person me, RedirectAttributes flash, Model model, HttpServletResponse response) {
        if (reason == null || reason.isBlank()) {
            flash.addFlashAttribute("problem", "reason: is required: say why the purchase is rejected");
            return "redirect:/console/purchases/" + id;
        }
        return act(id, me, flash, model, response, PurchaseActions.Allowed::reject,
                u -> executions.reject(u, me.actor(), reason.trim()), "rejected");
    }

    @PostMapping("/console/purchases/{id}/redrive")
    String redrive(@PathVariable String id, Person me, RedirectAttributes flash, Model model,
                   HttpServletResponse response) {
        return act(id, me, flash, model, response, PurchaseActions.Allowed::redrive,
                u -> executions.redrive(u, me.actor()), "re-driven");
    }

    @PostMapping("/console/purchases/{id}/cancel")
    String cancel(@PathVariable String id, Person me, RedirectAttributes flash, Model model,
                  HttpServletResponse response) {
        return act(id, me, flash, model, response, PurchaseActions.Allowed::cancel,
                u -> executions.cancel(u, me.actor()), "canceled");
    }

    private String act(String id, Person me, RedirectAttributes flash, Model model, HttpServletResponse response,
                       Function<PurchaseActions.Allowed, PurchaseActions.Refusal> refusal, Function<UUID, TransitionResult> change,
                       String done) {
        Optional<ExecutionDetail> detail = find(id);
        if (detail.isEmpty()) {
            return notFound(id, model, response);
        }
        PurchaseActions.Refusal why = refusal.apply(actions.of(detail.get(), me));
        if (why != null) {
            response.setStatus(why.conflict() ? HttpStatus.CONFLICT.value() : HttpStatus.FORBIDDEN.value());
            model.addAttribute("me", me);
            model.addAttribute("message", "Refused: " + why.reason() + ". Nothing was changed.");
            model.addAttribute("purchase", detail.get().execution().id());
            return "console/refused";
        }
        UUID uuid = detail.get().execution().id();
        try {
            TransitionResult result = change.apply(uuid);
            if (result instanceof TransitionResult.Moved) {
                log.info("purchase {} {} by {} in the console", uuid, done, me.id());
                flash.addFlashAttribute("notice", "Purchase " + done + ".");
            } else if (result instanceof TransitionResult.FirstApproval) {
                log.info("purchase {} first of two approvals by {} in the console", uuid, me.id());
                flash.addFlashAttribute("notice", "First of two approvals recorded: this purchase is above the "
                        + "second-approval amount, so another person must approve it too.");
            } else if (result instanceof TransitionResult.OtherStatus other) {
                flash.addFlashAttribute("problem", "Nothing was changed: the purchase is " + Labels.words(
                        other.current().name()).toLowerCase(java.util.Locale.ROOT) + " now (" + other.reason() + ").");
            } else {
                return notFound(id, model, response);
            }
        } catch (FourEyesException e) {
            // the service's own check (the same rule as the buttons): refused, whatever the page showed
            response.setStatus(HttpStatus.FORBIDDEN.value());
            model.addAttribute("me", me);
            model.addAttribute("message", "Refused: four-eyes: " + e.getMessage() + ". Nothing was changed.");
            model.addAttribute("purchase", uuid);
            return "console/refused";
        } catch (ValidationException e) {
            flash.addFlashAttribute("problem", e.field() + ": " + e.problem());
        }
        return "redirect:/console/purchases/" + uuid;
    }

    private PurchaseViews.Page view(ExecutionDetail d, Person me, boolean withQuotes) {
        Map<Integer, String> q = withQuotes && d.execution().status() == ExecutionStatus.PENDING_APPROVAL
                ? quotes.forItems(d.items()) : Map.of();
        return PurchaseViews.page(d, executions.auditTrail(d.execution().id()), actions.of(d, me), actions::personOf, q);
    }

    private Optional<ExecutionDetail> find(String id) {
        try {
            return executions.get(UUID.fromString(id));
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    static String notFound(String id, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.NOT_FOUND.value());
        model.addAttribute("me", People.current().orElse(null));
        model.addAttribute("message", "There is no purchase " + id + ".");
        return "console/not-found";
    }
}
