package dev.pledge.app.cli;

import dev.pledge.common.logging.Masking;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.spi.ExistingCommitment;
import dev.pledge.common.spi.PriceQuote;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code pledge buy} tells the user: the plan, notes, and how it ended, as text on the fly or
 * as one JSON document at the end. Every finishing method returns the exit code. The token is
 * only ever shown masked; the derived keys are designed to be shown.
 */
final class BuyReport {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Map<String, String> keys = Map.of();
    private Path journal;
    private int labelWidth = 9;

    BuyReport(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    void plan(CommitmentRequest request, PurchaseContext context, String token, URI cloud, Map<String, String> keys,
              Optional<PriceQuote> quote, Path journal) {
        this.keys = keys;
        this.journal = journal;
        labelWidth = Math.max(labelWidth, keys.keySet().stream().mapToInt(String::length).max().orElse(0));
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("type", request.type().slug());
        req.put("account", request.account());
        req.put("region", request.region());
        req.put("offering", request.offering());
        req.put("count", request.quantity());
        req.put("term", request.term().slug());
        req.put("payment", request.payment() == null ? null : request.payment().slug());
        req.put("attributes", request.attributes());
        json.put("status", null);
        json.put("request", req);
        json.put("mode", context.idempotent() ? "token" : "one-off");
        json.put("token", token == null ? null : Masking.mask(token));
        json.put("keys", keys);
        json.put("price", quote.map(BuyReport::priceJson).orElse(null));
        json.put("cloud", cloud == null ? "real" : cloud.toString());
        json.put("journal", journal == null ? null : journal.toString());

        if (format == OutputFormat.json) {
            if (!context.idempotent()) {
                err.println(oneOffNotice());
            }
            return;
        }
        out.println(request.type().displayName() + " (" + request.type().slug() + ")");
        row("account", request.account());
        row("region", request.region());
        row("offering", request.offering());
        row("count", String.valueOf(request.quantity()));
        row("term", request.term().slug());
        if (request.payment() != null) {
            row("payment", request.payment().slug());
        }
        request.attributes().forEach((k, v) -> row("attribute", k + "=" + v));
        row("price", quote.map(BuyReport::priceText).orElse("unknown (the offering lookup reports no price)"));
        row("cloud", cloud == null ? "real " + request.type().cloud().slug() + " (default credential chain)"
                : "emulator at " + cloud);
        row("mode", context.idempotent() ? "idempotent, token " + Masking.mask(token)
                + " (the same token never buys twice)" : "one-off (no --token)");
        if (journal != null) {
            row("journal", journal.toString());
        }
        keys.forEach((k, v) -> row(k, v));
        if (!context.idempotent()) {
            out.println(oneOffNotice());
        }
        out.flush();
    }

    private static String oneOffNotice() {
        return "Note: no --token, so this is the one-off, non-idempotent mode: the IDs above are new on every run "
                + "and running this command again buys again.";
    }

    void note(String message) {
        notes.add(message);
        (format == OutputFormat.json ? err : out).println(message);
    }

    void recentPurchases(List<ExistingCommitment> recent) {
        json.put("recentPurchases", recent.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("commitmentId", c.commitmentId());
            m.put("offering", c.offering());
            m.put("count", c.quantity());
            m.put("state", c.state());
            m.put("purchasedAt", c.purchasedAt() == null ? null : c.purchasedAt().toString());
            return m;
        }).collect(Collectors.toList()));
    }

    /** Ends a dry run: nothing bought. */
    int dryRun() {
        json.put("status", "dry-run");
        if (format == OutputFormat.text) {
            out.println("Dry run: nothing bought. Add --yes to buy.");
        }
        return end(ExitCode.OK);
    }

    int refused(String reason, String message) {
        json.put("status", "refused");
        json.put("reason", reason);
        json.put("message", message);
        err.println(message);
        return end(ExitCode.REFUSED);
    }

    /** The token's journal file, or null without a token. */
    Path journal() {
        return journal;
    }

    /** Another run holds the token's journal: this one waits for it. */
    void waitingForAnotherRun() {
        err.println("waiting for another run with this token...");
        err.flush();
    }

    /** Refuses because an earlier, unfinished attempt of the token may still be buying until {@code retryAfter}. */
    int attemptInFlight(Instant retryAfter) {
        json.put("retryAfter", retryAfter.toString());
        return refused("attempt in flight", "Refused: an earlier run with this token has no recorded outcome (it was "
                + "stopped, crashed or cut off during its purchase), so its purchase may still be under way until "
                + retryAfter + ". Nothing was bought.\nTo settle it safely, run the same command again after "
                + retryAfter + ": it then looks for what that run may have bought, and buys only if it did not.");
    }

    /** Ends a run whose journal recorded the commitment and whose executor's guard found it again. */
    int ownedByEarlierRun(PurchaseOutcome outcome, Instant recordedAt) {
        json.put("status", "already-owned");
        json.put("commitmentId", outcome.commitmentId());
        json.put("key", outcome.key());
        json.put("confirming", outcome.confirming());
        if (format == OutputFormat.text) {
            out.println("Already owned: " + outcome.commitmentId() + keyText(outcome) + ". Nothing bought: it was "
                    + "bought by an earlier run with this token (recorded " + recordedAt + ") and the cloud confirms "
                    + "it." + confirmingText(outcome));
        }
        return end(ExitCode.OK);
    }

    private static String keyText(PurchaseOutcome outcome) {
        return outcome.key() == null || outcome.key().equals(outcome.commitmentId()) ? ""
                : " (key " + outcome.key() + ")";
    }

    private static String confirmingText(PurchaseOutcome outcome) {
        return outcome.confirming() ? "\nThe cloud has not finished this order yet (its state is not final): check "
                + "later that it became active." : "";
    }

    int outcome(PurchaseOutcome outcome) {
        String status = switch (outcome.kind()) {
            case BOUGHT -> "bought";
            case ALREADY_OWNED -> "already-owned";
            case RECOVERED -> "recovered";
        };
        json.put("status", status);
        json.put("commitmentId", outcome.commitmentId());
        json.put("key", outcome.key());
        json.put("confirming", outcome.confirming());
        if (format == OutputFormat.text) {
            String key = keyText(outcome);
            out.println(switch (outcome.kind()) {
                case BOUGHT -> "Bought " + outcome.commitmentId() + key + ".";
                case ALREADY_OWNED -> "Already owned: " + outcome.commitmentId() + key
                        + ". Nothing bought: an earlier run with this token bought it.";
                case RECOVERED -> "Recovered " + outcome.commitmentId() + key
                        + ": the cloud already had our key and it matches this request. Nothing more bought.";
            } + confirmingText(outcome));
        }
        return end(ExitCode.OK);
    }

    int outcomeUnknown(String cause, String howToSettle) {
        String message = "Outcome unknown: the purchase was sent and no answer came back (" + cause
                + "). It may have been bought.\n" + howToSettle;
        json.put("status", "outcome-unknown");
        json.put("message", message);
        err.println(message);
        return end(ExitCode.OUTCOME_UNKNOWN);
    }

    /** The derived keys as "name value" pairs, for messages. */
    String keysText() {
        return keys.isEmpty() ? "the commitment" : keys.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private int end(int code) {
        if (format == OutputFormat.json) {
            json.put("exitCode", code);
            if (!notes.isEmpty()) {
                json.put("notes", notes);
            }
            out.println(JsonText.write(json));
        }
        out.flush();
        err.flush();
        return code;
    }

    private void row(String name, String value) {
        out.printf("  %-" + labelWidth + "s %s%n", name, value);
    }

    private static String priceText(PriceQuote q) {
        StringBuilder sb = new StringBuilder();
        if (q.upfront() != null && q.upfront().signum() != 0) {
            sb.append(q.currency()).append(' ').append(plain(q.upfront())).append(" upfront");
        }
        if (q.recurring() != null && q.recurring().signum() != 0) {
            if (sb.length() > 0) {
                sb.append(" + ");
            }
            sb.append(q.currency()).append(' ').append(plain(q.recurring())).append(" per ")
                    .append(q.recurringUnit() == null ? "period" : q.recurringUnit());
        }
        if (sb.length() == 0) {
            sb.append(q.currency()).append(" 0");
        }
        if (q.offeringId() != null) {
            sb.append(" (offering ").append(q.offeringId()).append(')');
        }
        return sb.toString();
    }

    private static Map<String, Object> priceJson(PriceQuote q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("currency", q.currency());
        m.put("upfront", q.upfront());
        m.put("recurring", q.recurring());
        m.put("recurringUnit", q.recurringUnit());
        m.put("offeringId", q.offeringId());
        return m;
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
