package dev.pledge.app.console;

import dev.pledge.app.security.ApiKey;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.ApiProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.Optional;

/**
 * The sign-in page: single sign-on when {@code pledge.console.oidc.issuer} is set, and in demo mode a
 * form with one field, {@code apiKey}, that signs in as the key's person with the key's roles. Outside
 * demo mode that form is neither shown nor accepted.
 */
@Controller
class SignInController {
    static final String KEY_SIGN_IN = "/console/sign-in/key";
    private static final Logger log = LoggerFactory.getLogger(SignInController.class);

    private final ConsoleProperties properties;
    private final ApiKeyService keys;
    private final ApiProperties api;
    private final HttpSessionSecurityContextRepository contexts;

    SignInController(ConsoleProperties properties, ApiKeyService keys, ApiProperties api,
                     HttpSessionSecurityContextRepository contexts) {
        this.properties = properties;
        this.keys = keys;
        this.api = api;
        this.contexts = contexts;
    }

    @GetMapping(ConsoleSecurity.SIGN_IN)
    String page(Model model, HttpServletRequest request) {
        if (People.current().isPresent()) {
            return "redirect:/console";
        }
        model.addAttribute("sso", properties.oidc().configured());
        model.addAttribute("ssoPath", "/oauth2/authorization/" + IssuerRegistrations.ID);
        model.addAttribute("demo", properties.demoSignIn());
        String notice = null;
        if (request.getParameter("signed-out") != null) {
            notice = "You are signed out.";
        } else if (request.getParameter("expired") != null) {
            notice = "Your session ended. Please sign in again.";
        } else if (request.getParameter("failed") != null) {
            notice = "Sign-in through the identity provider failed. Please try again or ask your administrator.";
        }
        model.addAttribute("notice", notice);
        return "console/sign-in";
    }

    @PostMapping(KEY_SIGN_IN)
    String signInWithKey(@RequestParam(name = "apiKey", required = false) String apiKey, Model model,
                         HttpServletRequest request, HttpServletResponse response) {
        if (!properties.demoSignIn()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            model.addAttribute("message", "Signing in with an API key is only offered in demo mode.");
            return "console/not-found";
        }
        Optional<ApiKey> key = apiKey == null ? Optional.empty()
                : keys.authenticate(apiKey.trim(), api.lastUsedResolution());
        if (key.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("sso", properties.oidc().configured());
            model.addAttribute("ssoPath", "/oauth2/authorization/" + IssuerRegistrations.ID);
            model.addAttribute("demo", true);
            model.addAttribute("keyError", apiKey == null || apiKey.isBlank() ? "Enter an API key."
                    : "That API key is not valid or has been revoked.");
            return "console/sign-in";
        }
        Person person = new Person(KeyPeople.personOf(key.get()), key.get().roles(), "api-key");
        // a new session, so an identifier planted before sign-in is worthless after it
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        request.getSession(true);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new KeySignIn(person));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        log.info("console sign-in of {} with API key {} (demo mode)", person.id(), key.get().id());
        return "redirect:/console";
    }

    @RequestMapping("/console/denied")
    String denied(Model model, HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(HttpStatus.FORBIDDEN.value());
        model.addAttribute("me", People.current().orElse(null));
        model.addAttribute("csrf", request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof CsrfException);
        return "console/denied";
    }
}
