package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.AccountUpdate;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.security.AdminActions;
import dev.pledge.app.security.ApiPrincipal;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
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
import java.util.Optional;
import java.util.UUID;

/**
 * The cloud accounts Pledge buys for. Reading: any role; registering and changing: ADMIN (admin
 * actions: audited, and pending a second ADMIN with admin four-eyes on). No answer carries any part
 * of a credential value: only the names of the fields set and a fingerprint.
 */
@RestController
@Tag(name = "Accounts", description = "The cloud accounts Pledge buys for")
@RequestMapping("/api/v1/accounts")
class AccountController {
    private final AccountService accounts;
    private final AdminActions admin;

    AccountController(AccountService accounts, AdminActions admin) {
        this.accounts = accounts;
        this.admin = admin;
    }

    record CreateAccount(String cloud, String externalId, String name, Map<String, String> credentials) {
        @Override
        public String toString() {
            return "CreateAccount[" + cloud + ", " + externalId + ", " + name + "]";
        }
    }

    record UpdateAccount(String name, Boolean enabled, Map<String, String> credentials) {
        @Override
        public String toString() {
            return "UpdateAccount[" + name + ", " + enabled + "]";
        }
    }

    /** The credentials as shown: which fields are set and a fingerprint that changes when a value does. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CredentialsView(List<String> fields, String fingerprint) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AccountView(UUID id, String cloud, String externalId, String name, boolean enabled,
                       CredentialsView credentials, Instant createdAt, Instant updatedAt) {
        static AccountView of(Account a) {
            return new AccountView(a.id(), a.cloud().slug(), a.externalId(), a.name(), a.enabled(),
                    new CredentialsView(a.credentialFields(), a.credentialsFingerprint()), a.createdAt(),
                    a.updatedAt());
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Register an account (ADMIN)")
    ResponseEntity<?> create(@RequestBody CreateAccount body, @AuthenticationPrincipal ApiPrincipal me) {
        if (body.cloud() == null || body.cloud().isBlank()) {
            throw new ValidationException("cloud", "is required; allowed: aws, azure, gcp");
        }
        checkCredentials(body.credentials());
        AdminActions.Outcome<Account> outcome = admin.registerAccount(me, new NewAccount(
                Cloud.fromSlug("cloud", body.cloud()), body.externalId(), body.name(), body.credentials()));
        if (outcome instanceof AdminActions.Outcome.Pending<Account> p) {
            return AdminRequestController.accepted(p.request());
        }
        return created(((AdminActions.Outcome.Done<Account>) outcome).result());
    }

    static ResponseEntity<AccountView> created(Account a) {
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/v1/accounts/{id}")
                .buildAndExpand(a.id()).toUri()).body(AccountView.of(a));
    }

    @GetMapping
    @Operation(summary = "List accounts: credential field names and fingerprints, never values (any role)")
    Map<String, List<AccountView>> list() {
        return Map.of("accounts", accounts.list().stream().map(AccountView::of).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One account (any role)")
    AccountView get(@PathVariable UUID id) {
        return accounts.find(id).map(AccountView::of).orElseThrow(() -> notFound(id));
    }

    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Rename, enable or disable an account, or replace its credentials (ADMIN)")
    ResponseEntity<?> update(@PathVariable UUID id, @RequestBody UpdateAccount body,
                             @AuthenticationPrincipal ApiPrincipal me) {
        if (body.name() == null && body.enabled() == null && body.credentials() == null) {
            throw new ValidationException("body", "nothing to change: give name, enabled and/or credentials");
        }
        checkCredentials(body.credentials());
        AdminActions.Outcome<Optional<Account>> outcome = admin.updateAccount(me, id,
                new AccountUpdate(body.name(), body.enabled(), body.credentials()));
        if (outcome instanceof AdminActions.Outcome.Pending<Optional<Account>> p) {
            return AdminRequestController.accepted(p.request());
        }
        return ResponseEntity.ok(((AdminActions.Outcome.Done<Optional<Account>>) outcome).result()
                .map(AccountView::of).orElseThrow(() -> notFound(id)));
    }

    private static void checkCredentials(Map<String, String> credentials) {
        if (credentials != null) {
            credentials.forEach((k, v) -> {
                if (v == null) {
                    throw new ValidationException("credentials." + k, "must be a string, not null");
                }
                Text.printable("credentials." + k, v);
            });
        }
    }

    static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "there is no account " + id + "; GET /api/v1/accounts lists them"));
    }
}
