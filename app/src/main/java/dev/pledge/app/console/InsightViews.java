package dev.pledge.app.console;

import dev.pledge.app.account.Account;
import dev.pledge.app.insight.InsightStore;
import dev.pledge.app.recommendation.RecommendationView;
import dev.pledge.common.model.CommitmentType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * What the Recommendations and Commitments pages show of a row: amounts as decimals with their currency and
 * unit written out ("per month", "once"), accounts by name and cloud id, dates in UTC, and freshness in words.
 */
final class InsightViews {
    /** Hours in a month, as the API's commitment summary and the clouds' monthly figures count them. */
    static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private InsightViews() {
    }

    /** {@code 1234.5} and {@code USD} -> {@code 1,234.50 USD}; unknown -> "not given". */
    static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "not given";
        }
        return String.format(java.util.Locale.ROOT, "%,.2f", amount.setScale(2, RoundingMode.HALF_UP))
                + " " + (currency == null || currency.isBlank() ? "(currency unknown)" : currency);
    }

    static String accountName(Map<UUID, Account> accounts, UUID id, String externalId) {
        Account a = accounts.get(id);
        String cloudId = externalId == null ? "" : externalId;
        return a == null || a.name() == null || a.name().isBlank() ? cloudId : a.name() + " (" + cloudId + ")";
    }

    static String nameOfType(String slug) {
        return Arrays.stream(CommitmentType.values()).filter(t -> t.slug().equals(slug)).findFirst()
                .map(CommitmentType::displayName).orElse(slug);
    }

    /** A recommendation as its table row shows it. */
    record RecommendationRow(UUID id, String cloud, String type, String typeName, String account, String region,
                             String what, String term, String payment, String monthlySavings, String upfront,
                             String monthlyCost, String breakEven, String refreshedAt, boolean stale,
                             String staleReason, boolean recentlyBought, UUID proposedAs) {
        /** The date of {@link #refreshedAt()}, and its time, so a narrow column breaks between them. */
        public String refreshedDay() {
            int space = refreshedAt.indexOf(' ');
            return space < 0 ? refreshedAt : refreshedAt.substring(0, space);
        }

        public String refreshedTime() {
            int space = refreshedAt.indexOf(' ');
            return space < 0 ? "" : refreshedAt.substring(space + 1);
        }

        static RecommendationRow of(RecommendationView r, Map<UUID, Account> accounts) {
            String what = r.hourlyCommitment() != null
                    ? money(r.hourlyCommitment(), r.currency()) + " per hour, " + r.offering()
                    : r.quantity() + " × " + r.offering();
            return new RecommendationRow(r.id(), r.cloud(), r.type(), nameOfType(r.type()),
                    accountName(accounts, r.account(), r.accountExternalId()), r.region(), what, r.term(),
                    r.payment() == null ? "none" : r.payment(), money(r.monthlySavings(), r.currency()),
                    money(r.upfrontCost(), r.currency()), money(r.monthlyRecurringCost(), r.currency()),
                    r.breakEvenMonths() == null ? "not given"
                            : r.breakEvenMonths().setScale(1, RoundingMode.HALF_UP).toPlainString() + " months",
                    minute(r.refreshedAt()), r.stale(), r.staleReason(), r.recentlyBought(), r.proposedAs());
        }
    }

    /** A held commitment as its table row shows it. */
    record CommitmentRow(String commitmentId, String cloud, String type, String typeName, String account,
                         String region, String what, String term, String payment, String start, String end,
                         String expires, boolean expiringSoon, String monthlyCost, String upfront, String state,
                         boolean active, String autoRenew, Object purchase, String refreshedAt, boolean stale,
                         String staleReason) {
        static CommitmentRow of(Map<String, Object> c, Map<UUID, Account> accounts, Instant now) {
            String currency = (String) c.get("currency");
            BigDecimal hourly = (BigDecimal) c.get("hourlyCommitment");
            BigDecimal recurring = (BigDecimal) c.get("recurringHourly");
            String what = hourly != null ? money(hourly, currency) + " per hour"
                    + (c.get("offering") == null ? "" : ", " + c.get("offering"))
                    : c.get("quantity") + " × " + c.get("offering");
            Instant end = (Instant) c.get("end");
            String expires = "no end date";
            boolean soon = false;
            if (end != null) {
                long days = Duration.between(now, end).toDays();
                expires = end.isBefore(now) ? "ended" : days == 0 ? "today" : "in " + days + (days == 1 ? " day" : " days");
                soon = !end.isBefore(now) && days <= 90;
            }
            Object autoRenew = c.get("autoRenew");
            return new CommitmentRow((String) c.get("commitmentId"), (String) c.get("cloud"), (String) c.get("type"),
                    nameOfType((String) c.get("type")), accountName(accounts, (UUID) c.get("account"),
                    (String) c.get("accountExternalId")), (String) c.get("region"), what,
                    c.get("term") == null ? "not given" : (String) c.get("term"),
                    c.get("payment") == null ? "none" : (String) c.get("payment"),
                    day((Instant) c.get("start")), day(end), expires, soon,
                    recurring == null ? "not given" : money(recurring.multiply(HOURS_PER_MONTH), currency),
                    money((BigDecimal) c.get("upfront"), currency), Labels.words((String) c.get("state")),
                    Boolean.TRUE.equals(c.get("active")),
                    autoRenew == null ? "unknown" : Boolean.TRUE.equals(autoRenew) ? "yes" : "no",
                    c.get("purchase"), Labels.when((Instant) c.get("refreshedAt")),
                    Boolean.TRUE.equals(c.get("stale")), (String) c.get("staleReason"));
        }
    }

    static String minute(Instant t) {
        return t == null ? "never" : MINUTE.format(t);
    }

    private static String day(Instant t) {
        return t == null ? "not given" : DAY.format(t);
    }

    /** Freshness of one kind of data in words, for the line above a table. */
    record Freshness(boolean never, String newest, String oldest, boolean spread, int sources, int stale,
                     String staleReason, String lastAttempt) {
        static Freshness of(InsightStore.Freshness f) {
            boolean never = f.newest() == null;
            String newest = minute(f.newest());
            String oldest = minute(f.oldest());
            return new Freshness(never, newest, oldest, f.oldest() != null && !oldest.equals(newest), f.sources(),
                    f.stale(), f.staleReason(), Labels.when(f.lastAttempt()));
        }
    }
}
