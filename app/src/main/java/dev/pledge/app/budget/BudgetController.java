package dev.pledge.app.budget;

import dev.pledge.app.security.ApiPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Monthly budgets: reading any role, setting ADMIN. */
@RestController
@Tag(name = "Budgets", description = "Monthly limits on new commitments, per account and for the organisation."
        + " What counts: each approved item's total commitment over its term (upfront plus every recurring"
        + " payment) at its approved price ceiling, in the calendar month (UTC) of its approval.")
class BudgetController {
    private final Budgets budgets;

    BudgetController(Budgets budgets) {
        this.budgets = budgets;
    }

    /** The body of a PUT: currency code to monthly limit; it replaces every earlier limit of the budget. */
    record BudgetRequest(Map<String, BigDecimal> limits) {
    }

    record BudgetView(String budget, List<BudgetStore.Usage> currencies) {
    }

    @PutMapping(path = "/api/v1/accounts/{id}/budget", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set an account's monthly limits, e.g. {\"limits\": {\"USD\": 50000}} (ADMIN)")
    BudgetView setAccount(@PathVariable UUID id, @RequestBody BudgetRequest body,
                          @AuthenticationPrincipal ApiPrincipal me) {
        return new BudgetView("account:" + id, budgets.set(id, body == null ? null : body.limits(), me.actor()));
    }

    @GetMapping("/api/v1/accounts/{id}/budget")
    @Operation(summary = "An account's limits with this month's spent, reserved and remaining (any role)")
    BudgetView getAccount(@PathVariable UUID id) {
        return new BudgetView("account:" + id, budgets.get(id));
    }

    @PutMapping(path = "/api/v1/budget", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set the organisation-wide monthly limits (ADMIN)")
    BudgetView setOrg(@RequestBody BudgetRequest body, @AuthenticationPrincipal ApiPrincipal me) {
        return new BudgetView("org", budgets.set(null, body == null ? null : body.limits(), me.actor()));
    }

    @GetMapping("/api/v1/budget")
    @Operation(summary = "The organisation-wide limits with this month's figures (any role)")
    BudgetView getOrg() {
        return new BudgetView("org", budgets.get(null));
    }
}
