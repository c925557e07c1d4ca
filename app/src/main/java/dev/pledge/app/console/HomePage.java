package dev.pledge.app.console;

import dev.pledge.app.execution.Execution;
import dev.pledge.app.execution.ExecutionQuery;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.security.Role;
import dev.pledge.common.model.Cloud;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Home: what waits for me, what runs, what was bought this month, and the commitment ladder; then
 * whatever {@link HomePanel}s other capabilities contribute (budgets, expiring commitments, ...).
 */
@Controller
class HomePage {
    private static final int LIST = 20;
    private static final int WAITING_SHOWN = 5;

    private final ExecutionService executions;
    private final PurchaseActions actions;
    private final ConsoleStore store;
    private final List<HomePanel> panels;
    private final ConsoleProperties properties;
    private final Clock clock = Clock.systemUTC();

    HomePage(ExecutionService executions, PurchaseActions actions, ConsoleStore store, List<HomePanel> panels,
             ConsoleProperties properties) {
        this.executions = executions;
        this.actions = actions;
        this.store = store;
        this.panels = panels.stream().sorted(Comparator.comparingInt(HomePanel::order)).toList();
        this.properties = properties;
    }

    record Bought(String type, String cloud, int items, int units) {
    }

    record Shown(String template, Object panel) {
    }

    @GetMapping({"/console", "/console/"})
    String home(Person me, Model model) {
        model.addAttribute("me", me);
        if (me.has(Role.APPROVER)) {
            List<PurchaseViews.Row> waiting = rows(EnumSet.of(ExecutionStatus.PENDING_APPROVAL), me, true);
            model.addAttribute("waiting", waiting.size() > WAITING_SHOWN ? waiting.subList(0, WAITING_SHOWN) : waiting);
            model.addAttribute("moreWaiting", waiting.size() > WAITING_SHOWN);
        }
        model.addAttribute("running", rows(underway(), me, false));
        model.addAttribute("pollSeconds", Math.max(1, properties.pollInterval().toSeconds()));

        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        List<ConsoleStore.Held> held = store.heldSince(now.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        var monthStart = now.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Map<String, Bought> bought = new java.util.TreeMap<>();
        for (ConsoleStore.Held h : held) {
            if (!h.boughtAt().isBefore(monthStart)) {
                String cloud = CommitmentLadder.typeOf(h.type()).map(t -> t.cloud().slug()).orElse("");
                bought.merge(h.type(), new Bought(h.type(), cloud, 1, h.quantity()),
                        (a, b) -> new Bought(a.type(), a.cloud(), a.items() + b.items(), a.units() + b.units()));
            }
        }
        model.addAttribute("month", now.getMonth().getDisplayName(java.time.format.TextStyle.FULL,
                java.util.Locale.ENGLISH) + " " + now.getYear());
        model.addAttribute("bought", new ArrayList<>(bought.values()));
        List<CommitmentLadder.Month> ladder = CommitmentLadder.of(held, now, CommitmentLadder.MONTHS);
        boolean anyHeld = ladder.stream().anyMatch(m -> m.total() > 0);
        model.addAttribute("ladder", anyHeld ? ladder : List.of());
        model.addAttribute("chart", anyHeld ? LadderChart.of(ladder) : null);
        model.addAttribute("cliffs", anyHeld ? CommitmentLadder.cliffs(ladder) : List.of());
        model.addAttribute("clouds", CommitmentLadder.CLOUDS.stream().map(Cloud::slug).toList());

        List<Shown> shown = new ArrayList<>();
        for (HomePanel p : panels) {
            Optional<Object> m = p.model(me);
            m.ifPresent(x -> shown.add(new Shown(p.template(), x)));
        }
        model.addAttribute("panels", shown);
        return "console/home";
    }

    /** The running-now list alone, polled by htmx while anything runs. */
    @GetMapping("/console/running")
    String running(Person me, Model model) {
        model.addAttribute("me", me);
        model.addAttribute("running", rows(underway(), me, false));
        model.addAttribute("pollSeconds", Math.max(1, properties.pollInterval().toSeconds()));
        return "console/home :: running";
    }

    /** Approved and not finished: running, confirming, or any status added later that is neither. */
    static EnumSet<ExecutionStatus> underway() {
        EnumSet<ExecutionStatus> s = EnumSet.noneOf(ExecutionStatus.class);
        for (ExecutionStatus status : ExecutionStatus.values()) {
            if (!status.isFinished() && status != ExecutionStatus.PENDING_APPROVAL) {
                s.add(status);
            }
        }
        return s;
    }

    private List<PurchaseViews.Row> rows(EnumSet<ExecutionStatus> statuses, Person me, boolean notMine) {
        List<Execution> page = executions.list(new ExecutionQuery(statuses, null, null, null, null, LIST, null))
                .executions();
        return page.stream()
                .filter(e -> !notMine || !(e.createdBy().equals(me.actor())
                        || me.id().equals(actions.personOf(e.createdBy()))))
                .map(e -> PurchaseViews.Row.of(e, actions::personOf)).toList();
    }
}
