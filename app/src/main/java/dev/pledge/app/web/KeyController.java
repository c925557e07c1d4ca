package dev.pledge.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.app.security.ApiKey;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.ApiKeyService.Revocation;
import dev.pledge.app.security.ApiPrincipal;
import dev.pledge.app.security.IssuedKey;
import dev.pledge.app.security.Role;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import dev.pledge.common.model.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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

/** API keys (ADMIN only). A key is shown whole once, in the answer that creates it; lists show a masked prefix. */
@RestController
@Tag(name = "API keys", description = "Keys and their roles (ADMIN)")
@RequestMapping("/api/v1/keys")
class KeyController {
    private static final Logger log = LoggerFactory.getLogger(KeyController.class);
    private final ApiKeyService keys;

    KeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record CreateKey(String name, List<String> roles) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyView(UUID id, String name, String actor, String prefix, Set<Role> roles, String createdBy,
                   Instant createdAt, Instant lastUsedAt, String revokedBy, Instant revokedAt, String key) {
        static KeyView of(ApiKey k, String secret) {
            return new KeyView(k.id(), k.name(), k.actor(), k.prefix(), k.roles(), k.createdBy(), k.createdAt(),
                    k.lastUsedAt(), k.revokedBy(), k.revokedAt(), secret);
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a key; the answer is the only time the key is shown (ADMIN)")
    ResponseEntity<KeyView> create(@RequestBody CreateKey body, @AuthenticationPrincipal ApiPrincipal me) {
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
        IssuedKey issued = keys.create(body.name(), roles, me.actor());
        log.info("API key {} '{}' {} created by {}", issued.key().id(), issued.key().name(), issued.key().roles(),
                me.actor());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                        .buildAndExpand(issued.key().id()).toUri())
                .header("Cache-Control", "no-store")
                .body(KeyView.of(issued.key(), issued.secret()));
    }

    @GetMapping
    @Operation(summary = "List keys without their secrets (ADMIN)")
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
    ResponseEntity<Void> revoke(@PathVariable UUID id, @AuthenticationPrincipal ApiPrincipal me) {
        Revocation r = keys.revoke(id, me.actor());
        if (r instanceof Revocation.NotFound) {
            throw notFound(id);
        }
        if (r instanceof Revocation.LastAdmin) {
            throw new ProblemException(Problem.of(HttpStatus.CONFLICT, "last-admin-key", "Last ADMIN key",
                    "key " + id + " is the last active ADMIN key; create another ADMIN key before revoking it"));
        }
        if (r instanceof Revocation.Revoked) {
            log.info("API key {} revoked by {}", id, me.actor());
        }
        return ResponseEntity.noContent().build();
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "there is no API key " + id));
    }
}
