package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.AccountUpdate;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.security.AdminActions;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.IssuedKey;
import dev.pledge.app.security.Role;
import dev.pledge.common.model.Cloud;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Admin (ADMIN only, by the console's filter chain): accounts (register, enable, disable; secrets are
 * written, never shown) and API keys (create for an owner: the key is shown once, on the answer page;
 * revoke). Every change goes through {@link AdminActions}, as the API's do: audited, and waiting for a
 * second ADMIN when admin four-eyes is on.
 */
@Controller
class AdminPage {
    private static final Logger log = LoggerFactory.getLogger(AdminPage.class);
    private final AccountService accounts;
    private final ApiKeyService keys;
    private final AdminActions admin;

    AdminPage(AccountService accounts, ApiKeyService keys, AdminActions admin) {
        this.accounts = accounts;
        this.keys = keys;
        this.admin = admin;
    }

    /** An admin action that waits for a second ADMIN (pledge.api.admin-four-eyes) says so. */
    private static String pending(AdminActions.Outcome<?> outcome) {
        return outcome instanceof AdminActions.Outcome.Pending<?> p ? "Requested: " + p.request().summary()
                + ". It waits for a second ADMIN (another person) to confirm it (request " + p.request().id() + ")."
                : null;
    }

    @GetMapping("/console/admin")
    String page(Person me, Model model) {
        prepare(me, model);
        return "console/admin";
    }

    @PostMapping("/console/admin/accounts")
    String register(@RequestParam(defaultValue = "") String cloud, @RequestParam(defaultValue = "") String externalId,
                    @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String credentials,
                    Person me, Model model, RedirectAttributes flash, HttpServletResponse response) {
        try {
            var outcome = admin.registerAccount(me, new NewAccount(cloud.isBlank() ? null
                    : Cloud.fromSlug("cloud", cloud), externalId.trim(), name, lines("credentials", credentials)));
            if (pending(outcome) != null) {
                flash.addFlashAttribute("notice", pending(outcome));
                return "redirect:/console/admin";
            }
            var account = ((AdminActions.Outcome.Done<dev.pledge.app.account.Account>) outcome).result();
            log.info("account {} ({} {}) registered by {} in the console", account.id(), account.cloud().slug(),
                    account.externalId(), me.id());
            flash.addFlashAttribute("notice", "Account " + account.name() + " registered.");
            return "redirect:/console/admin";
        } catch (ValidationException e) {
            return problem(e, me, model, response);
        }
    }

    @PostMapping("/console/admin/accounts/{id}/{change:enable|disable}")
    String enable(@PathVariable UUID id, @PathVariable String change, Person me, RedirectAttributes flash) {
        boolean enabled = change.equals("enable");
        var outcome = admin.updateAccount(me, id, new AccountUpdate(null, enabled));
        if (pending(outcome) != null) {
            flash.addFlashAttribute("notice", pending(outcome));
            return "redirect:/console/admin";
        }
        var updated = ((AdminActions.Outcome.Done<java.util.Optional<dev.pledge.app.account.Account>>) outcome).result();
        if (updated.isEmpty()) {
            flash.addFlashAttribute("problem", "There is no account " + id + ".");
        } else {
            log.info("account {} {}d by {} in the console", id, change, me.id());
            flash.addFlashAttribute("notice", "Account " + updated.get().name() + " " + change + "d.");
        }
        return "redirect:/console/admin";
    }

    @PostMapping("/console/admin/keys")
    String createKey(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String owner,
                     @RequestParam(name = "roles", required = false) List<String> roles,
                     Person me, Model model, HttpServletResponse response) {
        try {
            List<Role> parsed = new ArrayList<>();
            for (String r : roles == null ? List.<String>of() : roles) {
                parsed.add(Role.parse("roles", r));
            }
            var outcome = admin.createKey(me, name, owner, parsed);
            if (pending(outcome) != null) {
                prepare(me, model);
                model.addAttribute("notice", pending(outcome));
                return "console/admin";
            }
            IssuedKey issued = ((AdminActions.Outcome.Done<IssuedKey>) outcome).result();
            log.info("API key {} '{}' {} created by {} in the console", issued.key().id(), issued.key().name(),
                    issued.key().roles(), me.id());
            // the only page that ever shows the key: not cached, not redirected to
            response.setHeader("Cache-Control", "no-store");
            prepare(me, model);
            model.addAttribute("issued", issued);
            return "console/admin";
        } catch (ValidationException e) {
            return problem(e, me, model, response);
        }
    }

    @PostMapping("/console/admin/keys/{id}/revoke")
    String revoke(@PathVariable UUID id, Person me, RedirectAttributes flash) {
        var outcome = admin.revokeKey(me, id);
        if (pending(outcome) != null) {
            flash.addFlashAttribute("notice", pending(outcome));
            return "redirect:/console/admin";
        }
        ApiKeyService.Revocation r = ((AdminActions.Outcome.Done<ApiKeyService.Revocation>) outcome).result();
        String message;
        if (r instanceof ApiKeyService.Revocation.Revoked k) {
            log.info("API key {} '{}' revoked by {} in the console", id, k.key().name(), me.id());
            message = "Key " + k.key().name() + " revoked.";
        } else if (r instanceof ApiKeyService.Revocation.AlreadyRevoked k) {
            message = "Key " + k.key().name() + " was revoked already.";
        } else if (r instanceof ApiKeyService.Revocation.LastAdmin k) {
            flash.addFlashAttribute("problem", "Key " + k.key().name() + " is the last active ADMIN key; create "
                    + "another ADMIN key first.");
            return "redirect:/console/admin";
        } else {
            message = "There is no key " + id + ".";
        }
        flash.addFlashAttribute("notice", message);
        return "redirect:/console/admin";
    }

    private String problem(ValidationException e, Person me, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        prepare(me, model);
        model.addAttribute("problem", e.field() + ": " + e.problem());
        return "console/admin";
    }

    private void prepare(Person me, Model model) {
        model.addAttribute("me", me);
        model.addAttribute("accounts", accounts.list());
        model.addAttribute("keys", keys.list());
        model.addAttribute("roles", Role.values());
        model.addAttribute("clouds", List.of("aws", "azure", "gcp"));
    }

    /** {@code key=value} per line; values are written to the account and never shown again. */
    private static Map<String, String> lines(String field, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ValidationException(field, "one key=value per line (the value is not shown here)");
            }
            out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return out;
    }
}
