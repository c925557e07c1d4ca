package dev.pledge.app.console;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.insight.InsightStore;
import dev.pledge.app.inventory.HeldCommitments;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Commitments page: what the accounts hold, from the current inventory, soonest expiry first, with the
 * API's filters and the Pledge purchase that bought each one when known. No Propose button: nothing in the
 * service proposes a purchase from a held commitment (plans renew on their own cycle).
 */
@Controller
class CommitmentsPage {
    /** The expiry windows offered, in days, as Home counts them. */
    static final List<Integer> WINDOWS = List.of(30, 60, 90);

    private final HeldCommitments commitments;
    private final AccountService accounts;
    private final InsightStore insights;
    private final BackgroundRefresh refresh;
    private final ConsoleProperties properties;
    private final Clock clock = Clock.systemUTC();

    CommitmentsPage(HeldCommitments commitments, AccountService accounts, InsightStore insights,
                    BackgroundRefresh refresh, ConsoleProperties properties) {
        this.commitments = commitments;
        this.accounts = accounts;
        this.insights = insights;
        this.refresh = refresh;
        this.properties = properties;
    }

    /** The filters as typed; blank means "any". */
    record Filter(String cloud, String type, String account, String expiring) {
        public boolean any() {
            return cloud != null || type != null || account != null || expiring != null;
        }
    }

    @GetMapping("/console/commitments")
    String page(@RequestParam(required = false) String cloud, @RequestParam(required = false) String type,
                @RequestParam(required = false) String account, @RequestParam(required = false) String expiring,
                Person me, Model model, HttpServletResponse response) {
        Filter f = new Filter(RecommendationsPage.blank(cloud), RecommendationsPage.blank(type),
                RecommendationsPage.blank(account), RecommendationsPage.blank(expiring));
        Map<UUID, Account> byId = accounts.list().stream()
                .collect(Collectors.toMap(Account::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<Map<String, Object>> rows;
        try {
            rows = commitments.list(f.cloud(), f.type(), RecommendationsPage.uuid(f.account()), days(f.expiring()));
        } catch (ValidationException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("problem", e.field() + ": " + e.problem());
            rows = commitments.list(null, null, null, null);
        }
        Instant now = clock.instant();
        model.addAttribute("me", me);
        model.addAttribute("filter", f);
        model.addAttribute("rows", rows.stream().map(c -> InsightViews.CommitmentRow.of(c, byId, now)).toList());
        model.addAttribute("clouds", Arrays.stream(Cloud.values()).map(Cloud::slug).toList());
        model.addAttribute("types", Arrays.stream(CommitmentType.values())
                .map(t -> Map.of("slug", t.slug(), "name", t.displayName())).toList());
        model.addAttribute("accounts", byId.values().stream().filter(Account::enabled).toList());
        model.addAttribute("windows", WINDOWS);
        model.addAttribute("freshness", InsightViews.Freshness.of(insights.freshness(InsightStore.INVENTORY)));
        model.addAttribute("refresh", refresh.state());
        model.addAttribute("mayRefresh", RecommendationsPage.mayRefresh(me));
        model.addAttribute("pollSeconds", Math.max(1, properties.pollInterval().toSeconds()));
        return "console/commitments";
    }

    /** The expiry window: 30, 60 or 90 days (the page's choices); anything else names the field. */
    private static Integer days(String v) {
        if (v == null) {
            return null;
        }
        try {
            int d = Integer.parseInt(v);
            if (WINDOWS.contains(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // named below
        }
        throw new ValidationException("expiring", "must be 30, 60 or 90 (days), was '" + v + "'");
    }
}
