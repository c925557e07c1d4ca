package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.security.AdminActions;
import dev.pledge.app.security.ApiKey;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.ApiKeyService.Revocation;
import dev.pledge.app.security.ApiPrincipal;
import dev.pledge.app.security.IssuedKey;
import dev.pledge.app.security.Role;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * API keys (ADMIN only). A key is shown whole once, in the answer that creates it; lists show a masked
 * prefix. Creating and revoking are admin actions: audited, and with admin four-eyes on, answered
 * 202 with a pending admin request that a second ADMIN of another owner confirms.
 */
@RestController
@Tag(name = "API keys", description = "Keys, their owners and roles (ADMIN)")
@RequestMapping("/api/v1/keys")
class KeyController {
    private static final Logger log = LoggerFactory.getLogger(KeyController.class);
    private final ApiKeyService keys;
    private final AdminActions admin;

    KeyController(ApiKeyService keys, AdminActions admin) {
        this.keys = keys;
        this.admin = admin;
    }

    record CreateKey(String name, String owner, List<String> roles) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyView(UUID id, String name, String owner, String actor, String prefix, Set<Role> roles, String createdBy,
                   Instant createdAt, Instant lastUsedAt, String revokedBy, Instant revokedAt, String key) {
        static KeyView of(ApiKey k, String secret) {
            return new KeyView(k.id(), k.name(), k.owner(), k.actor(), k.prefix(), k.roles(), k.createdBy(),
                    k.createdAt(), k.lastUsedAt(), k.revokedBy(), k.revokedAt(), secret);
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a key for an owner; the answer is the only time the key is shown (ADMIN)")
    ResponseEntity<?> create(@RequestBody CreateKey body, @AuthenticationPrincipal ApiPrincipal me) {
        ApiKeyService.checkName(body.name());
        if (body.roles() == null || body.roles().isEmpty()) {
            throw new ValidationException("roles", "at least one role is required; allowed: " + Role.allowed());
        }
        if (body.roles().size() > Role.values().length) {
            throw new ValidationException("roles", "at most " + Role.values().length + " roles");
        }
        List<Role> roles = new ArrayList<>();
        for (int i = 0; i < body.roles().size(); i++) {
            roles.add(Role.parse("roles[" + i + "]", body.roles().get(i)));
        }
        ApiKeyService.checkOwner(body.owner());
        AdminActions.Outcome<IssuedKey> outcome = admin.createKey(me, body.name(), body.owner(), roles);
        if (outcome instanceof AdminActions.Outcome.Pending<IssuedKey> p) {
            return AdminRequestController.accepted(p.request());
        }
        IssuedKey issued = ((AdminActions.Outcome.Done<IssuedKey>) outcome).result();
        log.info("API key {} '{}' of {} {} created by {}", issued.key().id(), issued.key().name(), issued.key().owner(),
                issued.key().roles(), me.describe());
        return created(issued);
    }

    static ResponseEntity<KeyView> created(IssuedKey issued) {
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath()
                        .path("/api/v1/keys/{id}").buildAndExpand(issued.key().id()).toUri())
                .header("Cache-Control", "no-store")
                .body(KeyView.of(issued.key(), issued.secret()));
    }

    @GetMapping
    @Operation(summary = "List keys with their owners, without their secrets (ADMIN)")
    Map<String, List<KeyView>> list() {
        return Map.of("keys", keys.list().stream().map(k -> KeyView.of(k, null)).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One key without its secret (ADMIN)")
    KeyView get(@PathVariable UUID id) {
        return keys.find(id).map(k -> KeyView.of(k, null)).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key (ADMIN); the last active ADMIN key cannot be revoked")
    ResponseEntity<?> revoke(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        AdminActions.Outcome<Revocation> outcome = admin.revokeKey(me, id);
        if (outcome instanceof AdminActions.Outcome.Pending<Revocation> p) {
            return AdminRequestController.accepted(p.request());
        }
        revoked(id, ((AdminActions.Outcome.Done<Revocation>) outcome).result(), me);
        return ResponseEntity.noContent().build();
    }

    static void revoked(UUID id, Revocation r, ApiPrincipal me) {
        if (r instanceof Revocation.NotFound) {
            throw notFound(id);
        }
        if (r instanceof Revocation.LastAdmin) {
            throw new ProblemException(Problem.of(HttpStatus.CONFLICT, "last-admin-key", "Last ADMIN key",
                    "key " + id + " is the last active ADMIN key; create another ADMIN key before revoking it"));
        }
        if (r instanceof Revocation.Revoked) {
            log.info("API key {} revoked by {}", id, me.describe());
        }
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "there is no API key " + id));
    }
}
