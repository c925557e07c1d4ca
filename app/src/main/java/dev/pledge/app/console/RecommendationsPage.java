package dev.pledge.app.console;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.budget.BudgetExceededException;
import dev.pledge.app.execution.IdempotencyKeyConflictException;
import dev.pledge.app.insight.InsightStore;
import dev.pledge.app.recommendation.CurrentRecommendations;
import dev.pledge.app.recommendation.ProposalRefusedException;
import dev.pledge.app.recommendation.ProposalService;
import dev.pledge.app.recommendation.RecommendationView;
import dev.pledge.app.security.Role;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
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

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Recommendations page: the current recommendations as the API lists them, with its filters, their
 * amounts and freshness, and a Propose button (REQUESTER) that calls the service behind
 * {@code POST /api/v1/recommendations/{id}/propose}: the person proposing owns the purchase. A refusal
 * (superseded, recently bought, bad input) comes back on this page and nothing is written. Refresh (ADMIN or
 * APPROVER) runs in the background ({@link BackgroundRefresh}); its progress is polled.
 */
@Controller
class RecommendationsPage {
    private static final Logger log = LoggerFactory.getLogger(RecommendationsPage.class);

    private final CurrentRecommendations recommendations;
    private final ProposalService proposals;
    private final AccountService accounts;
    private final InsightStore insights;
    private final BackgroundRefresh refresh;
    private final ConsoleProperties properties;

    RecommendationsPage(CurrentRecommendations recommendations, ProposalService proposals, AccountService accounts,
                        InsightStore insights, BackgroundRefresh refresh, ConsoleProperties properties) {
        this.recommendations = recommendations;
        this.proposals = proposals;
        this.accounts = accounts;
        this.insights = insights;
        this.refresh = refresh;
        this.properties = properties;
    }

    /** The filters as typed; blank means "any". */
    record Filter(String cloud, String type, String account, String minMonthlySavings, String maxBreakEvenMonths) {
        static Filter of(String cloud, String type, String account, String minMonthlySavings, String maxBreakEven) {
            return new Filter(blank(cloud), blank(type), blank(account), blank(minMonthlySavings), blank(maxBreakEven));
        }

        public boolean any() {
            return cloud != null || type != null || account != null || minMonthlySavings != null
                    || maxBreakEvenMonths != null;
        }
    }

    @GetMapping("/console/recommendations")
    String page(@RequestParam(required = false) String cloud, @RequestParam(required = false) String type,
                @RequestParam(required = false) String account, @RequestParam(required = false) String minMonthlySavings,
                @RequestParam(required = false) String maxBreakEvenMonths, Person me, Model model,
                HttpServletResponse response) {
        Filter filter = Filter.of(cloud, type, account, minMonthlySavings, maxBreakEvenMonths);
        String problem = show(filter, me, model);
        if (problem != null) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("problem", problem);
        }
        return "console/recommendations";
    }

    @PostMapping("/console/recommendations/{id}/propose")
    String propose(@PathVariable String id, @RequestParam(name = "override", required = false) String override,
                   @RequestParam(name = "reason", required = false) String reason, Person me, Model model,
                   RedirectAttributes flash, HttpServletResponse response) {
        if (!me.has(Role.REQUESTER)) {
            // the role rules refuse this first; the page repeats the check, as the purchase actions do
            return refused(me, model, response, "proposing a purchase needs the REQUESTER role");
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return notFound(id, me, model, response);
        }
        boolean anyway = "true".equalsIgnoreCase(override);
        if (anyway && (reason == null || reason.isBlank())) {
            return again(me, model, response, HttpStatus.BAD_REQUEST, "reason: is required to propose a recommendation "
                    + "for something bought recently: say why buying it again is right. Nothing was proposed.");
        }
        try {
            ProposalService.Proposed proposed = proposals.propose(uuid, new ProposalService.Scale(null, null),
                    me.actor(), anyway, anyway ? reason.trim() : null);
            if (proposed.replayed()) {
                flash.addFlashAttribute("notice", "This recommendation was proposed already, as this purchase; "
                        + "nothing new was created.");
            } else {
                log.info("purchase {} proposed from recommendation {} by {} in the console", proposed.purchase(),
                        uuid, me.id());
                flash.addFlashAttribute("notice", "Purchase proposed from the recommendation. It waits for "
                        + "another person's approval.");
            }
            return "redirect:/console/purchases/" + proposed.purchase();
        } catch (ProposalRefusedException e) {
            RecommendationView r = e.view();
            return switch (e.reason()) {
                case NOT_FOUND -> notFound(id, me, model, response);
                case SUPERSEDED -> again(me, model, response, HttpStatus.CONFLICT, "That recommendation ("
                        + r.type() + " " + r.offering() + " in " + r.region() + ") was replaced by a later refresh, "
                        + "so nothing was proposed. Propose from the current list below.");
                case RECENTLY_BOUGHT -> again(me, model, response, HttpStatus.CONFLICT, "Not proposed: Pledge bought "
                        + r.type() + " " + r.offering() + " in " + r.region() + " for this account within the last "
                        + e.recentlyBoughtDays() + " days, and the cloud's recommendations reflect a purchase only "
                        + "after a day or two, so this may buy the same capacity twice. To propose it anyway, give "
                        + "a reason in its row and use Propose anyway.");
            };
        } catch (ValidationException e) {
            return again(me, model, response, HttpStatus.BAD_REQUEST, e.field() + ": " + e.problem()
                    + ". Nothing was proposed.");
        } catch (IdempotencyKeyConflictException e) {
            return again(me, model, response, HttpStatus.CONFLICT, "Not proposed: this recommendation was proposed "
                    + "before in another way, as purchase " + e.existingExecution() + ".");
        } catch (BudgetExceededException e) {
            return again(me, model, response, HttpStatus.CONFLICT, "Not proposed: " + e.getMessage() + ".");
        }
    }

    @PostMapping("/console/recommendations/refresh")
    String startRefresh(@RequestParam(name = "back", required = false) String back, Person me, Model model,
                        RedirectAttributes flash, HttpServletResponse response) {
        if (!mayRefresh(me)) {
            return refused(me, model, response, "refreshing needs the ADMIN or APPROVER role");
        }
        if (refresh.start(me.id())) {
            flash.addFlashAttribute("notice", "Refresh started: inventory and recommendations of every enabled "
                    + "account. Its progress shows below; the tables change when it has finished.");
        } else {
            flash.addFlashAttribute("notice", "A refresh is running already; its progress shows below.");
        }
        return "redirect:" + ("commitments".equals(back) ? "/console/commitments" : "/console/recommendations");
    }

    /** Where the console's refresh stands; htmx asks for it while one runs. */
    @GetMapping("/console/recommendations/refresh")
    String refreshStatus(@RequestParam(name = "back", required = false) String back, Person me, Model model) {
        model.addAttribute("me", me);
        model.addAttribute("back", "commitments".equals(back) ? "commitments" : "recommendations");
        status(me, model);
        return "console/refresh :: status";
    }

    static boolean mayRefresh(Person me) {
        return me.has(Role.ADMIN) || me.has(Role.APPROVER);
    }

    private void status(Person me, Model model) {
        model.addAttribute("refresh", refresh.state());
        model.addAttribute("mayRefresh", mayRefresh(me));
        model.addAttribute("pollSeconds", Math.max(1, properties.pollInterval().toSeconds()));
    }

    /** Fills the page's model; returns the filter problem, if any (the list is then unfiltered). */
    private String show(Filter f, Person me, Model model) {
        model.addAttribute("me", me);
        Map<UUID, Account> byId = accounts.list().stream()
                .collect(Collectors.toMap(Account::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        String problem = null;
        List<RecommendationView> rows;
        try {
            rows = recommendations.list(f.cloud(), f.type(), uuid(f.account()),
                    decimal("minMonthlySavings", f.minMonthlySavings()),
                    decimal("maxBreakEvenMonths", f.maxBreakEvenMonths()));
        } catch (ValidationException e) {
            problem = e.field() + ": " + e.problem();
            rows = recommendations.list(null, null, null, null, null);
        }
        model.addAttribute("filter", f);
        model.addAttribute("rows", rows.stream().map(r -> InsightViews.RecommendationRow.of(r, byId)).toList());
        model.addAttribute("clouds", Arrays.stream(Cloud.values()).map(Cloud::slug).toList());
        model.addAttribute("types", Arrays.stream(CommitmentType.values())
                .map(t -> Map.of("slug", t.slug(), "name", t.displayName())).toList());
        model.addAttribute("accounts", byId.values().stream().filter(Account::enabled).toList());
        model.addAttribute("freshness", InsightViews.Freshness.of(insights.freshness(InsightStore.RECOMMENDATIONS)));
        model.addAttribute("recentDays", recommendations.recentlyBoughtDays());
        model.addAttribute("mayPropose", me.has(Role.REQUESTER));
        status(me, model);
        return problem;
    }

    /** The page again, unfiltered, with why nothing was proposed. */
    private String again(Person me, Model model, HttpServletResponse response, HttpStatus status, String problem) {
        show(Filter.of(null, null, null, null, null), me, model);
        response.setStatus(status.value());
        model.addAttribute("problem", problem);
        return "console/recommendations";
    }

    private static String refused(Person me, Model model, HttpServletResponse response, String why) {
        response.setStatus(HttpStatus.FORBIDDEN.value());
        model.addAttribute("me", me);
        model.addAttribute("message", "Refused: " + why + ". Nothing was changed.");
        model.addAttribute("active", "recommendations");
        return "console/refused";
    }

    private static String notFound(String id, Person me, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.NOT_FOUND.value());
        model.addAttribute("me", me);
        model.addAttribute("message", "There is no recommendation " + id + ". Nothing was proposed.");
        return "console/not-found";
    }

    static String blank(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    static UUID uuid(String v) {
        if (v == null) {
            return null;
        }
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("account", "must be the id of a registered account, was '" + v + "'");
        }
    }

    private static BigDecimal decimal(String field, String v) {
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "must be a decimal number, was '" + v + "'");
        }
    }
}
