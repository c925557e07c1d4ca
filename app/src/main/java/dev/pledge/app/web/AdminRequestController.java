package dev.pledge.app.web;

import dev.pledge.app.account.Account;
import dev.pledge.app.security.AdminActions;
import dev.pledge.app.security.AdminActions.AdminRequest;
import dev.pledge.app.security.AdminActions.Decision;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.ApiPrincipal;
import dev.pledge.app.security.IssuedKey;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Admin actions waiting for a second administrator ({@code pledge.api.admin-four-eyes=true}). Confirming
 * does the action and answers what it would have answered (a new key is shown whole to the confirming
 * ADMIN, once); the confirmer's owner must differ from the requester's.
 */
@RestController
@Tag(name = "Admin requests", description = "Admin actions waiting for a second ADMIN (ADMIN)")
@RequestMapping("/api/v1/admin-requests")
class AdminRequestController {
    private final AdminActions admin;

    AdminRequestController(AdminActions admin) {
        this.admin = admin;
    }

    static ResponseEntity<AdminRequest> accepted(AdminRequest r) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/v1/admin-requests/{id}")
                        .buildAndExpand(r.id()).toUri())
                .body(r);
    }

    @GetMapping
    @Operation(summary = "Admin requests, newest first (ADMIN)")
    Map<String, List<AdminRequest>> list() {
        return Map.of("requests", admin.requests(200));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One admin request (ADMIN)")
    AdminRequest get(@PathVariable UUID id) {
        return admin.request(id).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/confirm")
    @Operation(summary = "Confirm and do an admin action (an ADMIN of another owner than the requester's)")
    ResponseEntity<?> confirm(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        Decision d = admin.confirm(id, me);
        if (d instanceof Decision.Confirmed c) {
            Object result = c.result();
            if (result instanceof IssuedKey k) {
                return KeyController.created(k);
            }
            if (result instanceof Account a) {
                return AccountController.created(a);
            }
            if (result instanceof Optional<?> o) {
                return ResponseEntity.ok(o.map(a -> AccountController.AccountView.of((Account) a))
                        .orElseThrow(() -> new ProblemException(Problem.of(HttpStatus.NOT_FOUND, "not-found",
                                "Not found", "the account of admin request " + id + " no longer exists"))));
            }
            if (result instanceof ApiKeyService.Revocation r) {
                KeyController.revoked(id, r, me);
                return ResponseEntity.noContent().build();
            }
        }
        return refused(id, d, "confirm");
    }

    @PostMapping("/{id}/reject")
    @Operation(summary = "Reject an admin request (any ADMIN, the requester included)")
    ResponseEntity<?> reject(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        Decision d = admin.reject(id, me);
        if (d instanceof Decision.Rejected r) {
            return ResponseEntity.ok(r.request());
        }
        return refused(id, d, "reject");
    }

    private static ResponseEntity<?> refused(UUID id, Decision d, String verb) {
        if (d instanceof Decision.SameOwner s) {
            throw new ProblemException(Problem.of(HttpStatus.FORBIDDEN, "admin-four-eyes", "Same person refused",
                    "admin request " + id + " was made by " + s.request().requestedOwner() + "; a second ADMIN of "
                            + "another owner must confirm it"));
        }
        if (d instanceof Decision.NotPending n) {
            throw new ProblemException(Problem.of(HttpStatus.CONFLICT, "status-conflict", "Not possible in this status",
                    "admin request " + id + " is " + n.request().status() + ", not PENDING; nothing was changed")
                    .with("currentStatus", n.request().status()));
        }
        throw notFound(id);
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "there is no admin request " + id));
    }
}
