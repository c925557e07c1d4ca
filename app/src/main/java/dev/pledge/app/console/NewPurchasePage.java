package dev.pledge.app.console;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.CreatedExecution;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.model.ValidationException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The new-purchase form (one item per purchase here; the API takes up to 200). "Check price" runs the
 * checks the API runs and shows the dry-run quote without storing anything; "Request purchase" stores
 * it in PENDING_APPROVAL, as {@code POST /api/v1/purchases} does.
 */
@Controller
class NewPurchasePage {
    private static final Logger log = LoggerFactory.getLogger(NewPurchasePage.class);
    private final ExecutionService executions;
    private final AccountService accounts;
    private final Quotes quotes;

    NewPurchasePage(ExecutionService executions, AccountService accounts, Quotes quotes) {
        this.executions = executions;
        this.accounts = accounts;
        this.quotes = quotes;
    }

    /** The form's fields, as typed. */
    public static final class Form {
        private String description = "";
        private String type = "";
        private String account = "";
        private String region = "";
        private String offering = "";
        private String quantity = "1";
        private String term = "1y";
        private String payment = "";
        private String attributes = "";

        public String getDescription() { return description; }
        public void setDescription(String v) { description = v == null ? "" : v; }
        public String getType() { return type; }
        public void setType(String v) { type = v == null ? "" : v; }
        public String getAccount() { return account; }
        public void setAccount(String v) { account = v == null ? "" : v; }
        public String getRegion() { return region; }
        public void setRegion(String v) { region = v == null ? "" : v; }
        public String getOffering() { return offering; }
        public void setOffering(String v) { offering = v == null ? "" : v; }
        public String getQuantity() { return quantity; }
        public void setQuantity(String v) { quantity = v == null ? "" : v; }
        public String getTerm() { return term; }
        public void setTerm(String v) { term = v == null ? "" : v; }
        public String getPayment() { return payment; }
        public void setPayment(String v) { payment = v == null ? "" : v; }
        public String getAttributes() { return attributes; }
        public void setAttributes(String v) { attributes = v == null ? "" : v; }

        /** The item as the API would receive it; required fields are named as the API names them. */
        NewItem toItem() {
            String p = "items[0].";
            required(p + "type", type);
            UUID accountId;
            try {
                accountId = UUID.fromString(required(p + "account", account));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(p + "account", "must be the id of a registered account");
            }
            required(p + "region", region);
            required(p + "offering", offering);
            int n;
            try {
                n = Integer.parseInt(required(p + "quantity", quantity).trim());
            } catch (NumberFormatException e) {
                throw new ValidationException(p + "quantity", "must be a whole number greater than 0, was '"
                        + quantity + "'");
            }
            required(p + "term", term);
            return new NewItem(accountId, type.trim(), region.trim(), offering.trim(), n, term.trim(),
                    payment.isBlank() ? null : payment.trim(), attributes(p + "attributes"));
        }

        /** {@code key=value} per line. */
        private Map<String, String> attributes(String field) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : attributes.split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new ValidationException(field, "one key=value per line, e.g. productDescription=postgresql; "
                            + "got '" + line.trim() + "'");
                }
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
            return out;
        }

        private static String required(String field, String value) {
            if (value == null || value.isBlank()) {
                throw new ValidationException(field, "is required");
            }
            return value;
        }
    }

    @ModelAttribute("form")
    Form form() {
        return new Form();
    }

    @GetMapping("/console/purchases/new")
    String page(Person me, Model model) {
        prepare(me, model);
        return "console/new-purchase";
    }

    @PostMapping("/console/purchases/new")
    String submit(@ModelAttribute("form") Form form, @RequestParam(name = "action", defaultValue = "quote") String action,
                  Person me, Model model, RedirectAttributes flash, HttpServletResponse response) {
        prepare(me, model);
        try {
            if (form.getDescription().chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r'
                    && c != '\t')) {
                throw new ValidationException("description", "contains a control character; only printable text "
                        + "is accepted");
            }
            List<NewItem> items = List.of(form.toItem());
            List<CommitmentRequest> requests = executions.check(items);
            if (!"submit".equals(action)) {
                List<Map<String, String>> quoted = new ArrayList<>();
                for (CommitmentRequest r : requests) {
                    quoted.add(Map.of("item", r.quantity() + " × " + r.offering() + " (" + r.type().slug() + ", "
                            + r.region() + ", " + r.term().slug() + ")", "price", quotes.quote(r)));
                }
                model.addAttribute("quote", quoted);
                return "console/new-purchase";
            }
            CreatedExecution created = executions.create(new NewExecution(me.actor(),
                    form.getDescription().isBlank() ? null : form.getDescription().trim(), null, items, null, null));
            UUID id = created.detail().execution().id();
            log.info("purchase {} requested by {} in the console", id, me.id());
            flash.addFlashAttribute("notice", "Purchase requested. It waits for another person's approval.");
            return "redirect:/console/purchases/" + id;
        } catch (ValidationException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("problemField", e.field());
            model.addAttribute("problem", e.field() + ": " + e.problem());
            return "console/new-purchase";
        }
    }

    private void prepare(Person me, Model model) {
        model.addAttribute("me", me);
        List<Account> enabled = accounts.list().stream().filter(Account::enabled).toList();
        model.addAttribute("accounts", enabled);
        model.addAttribute("types", Arrays.stream(CommitmentType.values())
                .map(t -> Map.of("slug", t.slug(), "name", t.displayName(), "cloud", t.cloud().slug(),
                        "terms", String.join(", ", t.termSlugs()),
                        "payments", t.takesPayment() ? String.join(", ", t.paymentSlugs()) : "none"))
                .toList());
    }
}
