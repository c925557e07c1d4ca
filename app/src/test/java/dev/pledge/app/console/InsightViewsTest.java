package dev.pledge.app.console;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class InsightViewsTest {
    @Test
    void amounts_carry_their_currency_and_say_when_they_are_unknown() {
        assertThat(InsightViews.money(new BigDecimal("1234.565"), "USD")).isEqualTo("1,234.57 USD");
        assertThat(InsightViews.money(BigDecimal.ZERO, "EUR")).isEqualTo("0.00 EUR");
        assertThat(InsightViews.money(null, "USD")).isEqualTo("not given");
        assertThat(InsightViews.money(BigDecimal.ONE, null)).isEqualTo("1.00 (currency unknown)");
    }

    @Test
    void a_commitment_costs_730_hours_a_month_and_says_how_soon_it_ends() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        Map<String, Object> c = new HashMap<>();
        c.put("commitmentId", "ri-1");
        c.put("type", "aws-rds");
        c.put("account", UUID.randomUUID());
        c.put("accountExternalId", "111122223333");
        c.put("quantity", 2);
        c.put("offering", "db.r6g.large");
        c.put("currency", "USD");
        c.put("recurringHourly", new BigDecimal("0.1"));
        c.put("end", Instant.parse("2027-01-20T00:00:00Z"));
        c.put("state", "active");
        c.put("active", true);
        var row = InsightViews.CommitmentRow.of(c, Map.of(), now);
        assertThat(row.monthlyCost()).isEqualTo("73.00 USD");
        assertThat(row.what()).isEqualTo("2 × db.r6g.large");
        assertThat(row.end()).isEqualTo("2027-01-20");
        assertThat(row.expires()).isEqualTo("in 46 days");
        assertThat(row.expiringSoon()).isTrue();
        assertThat(row.account()).isEqualTo("111122223333");
        assertThat(row.autoRenew()).isEqualTo("unknown");

        c.put("end", Instant.parse("2026-12-01T00:00:00Z"));
        c.remove("recurringHourly");
        var ended = InsightViews.CommitmentRow.of(c, Map.of(), now);
        assertThat(ended.expires()).isEqualTo("ended");
        assertThat(ended.expiringSoon()).isFalse();
        assertThat(ended.monthlyCost()).isEqualTo("not given");
    }
}
