package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.AccountUpdate;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The cloud accounts Pledge buys for. Reading: any role; registering and changing: ADMIN. */
@RestController
@Tag(name = "Accounts", description = "The cloud accounts Pledge buys for")
@RequestMapping("/api/v1/accounts")
class AccountController {
    private final AccountService accounts;

    AccountController(AccountService accounts) {
        this.accounts = accounts;
    }

    record CreateAccount(String cloud, String externalId, String name, Map<String, String> credentials) {
    }

    record UpdateAccount(String name, Boolean enabled) {
    }

    /** An account as shown: credential values masked (they may be secrets), names kept. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AccountView(UUID id, String cloud, String externalId, String name, boolean enabled,
                       Map<String, String> credentials, Instant createdAt, Instant updatedAt) {
        static AccountView of(Account a) {
            Map<String, String> masked = new TreeMap<>();
            a.credentials().properties().forEach((k, v) -> masked.put(k, Masking.mask(v)));
            return new AccountView(a.id(), a.cloud().slug(), a.externalId(), a.name(), a.enabled(), masked,
                    a.createdAt(), a.updatedAt());
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Register an account (ADMIN)")
    ResponseEntity<AccountView> create(@RequestBody CreateAccount body) {
        if (body.cloud() == null || body.cloud().isBlank()) {
            throw new ValidationException("cloud", "is required; allowed: aws, azure, gcp");
        }
        if (body.credentials() != null) {
            body.credentials().forEach((k, v) -> {
                if (v == null) {
                    throw new ValidationException("credentials." + k, "must be a string, not null");
                }
                Text.printable("credentials." + k, v);
            });
        }
        Account created = accounts.create(new NewAccount(Cloud.fromSlug("cloud", body.cloud()), body.externalId(),
                body.name(), body.credentials()));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.id()).toUri()).body(AccountView.of(created));
    }

    @GetMapping
    @Operation(summary = "List accounts, credential values masked (any role)")
    Map<String, List<AccountView>> list() {
        return Map.of("accounts", accounts.list().stream().map(AccountView::of).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One account (any role)")
    AccountView get(@PathVariable UUID id) {
        return accounts.find(id).map(AccountView::of).orElseThrow(() -> notFound(id));
    }

    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Rename, enable or disable an account (ADMIN)")
    AccountView update(@PathVariable UUID id, @RequestBody UpdateAccount body) {
        if (body.name() == null && body.enabled() == null) {
            throw new ValidationException("body", "nothing to change: give name and/or enabled");
        }
        return accounts.update(id, new AccountUpdate(body.name(), body.enabled())).map(AccountView::of)
                .orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "there is no account " + id + "; GET /api/v1/accounts lists them"));
    }
}
