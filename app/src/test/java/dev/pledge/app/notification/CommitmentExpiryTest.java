package dev.pledge.app.notification;

import dev.pledge.app.account.Account;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Held commitments that end soon are announced once per commitment and threshold, at the smallest one reached. */
@ExtendWith(PostgresExtension.class)
class CommitmentExpiryTest {
    private final NotificationFixture f;

    CommitmentExpiryTest(TestSchema db) {
        this.f = new NotificationFixture(db);
    }

    @Test
    void a_commitment_is_announced_once_per_threshold_as_its_end_comes_nearer() {
        Account account = f.account();
        long generation = f.sql.queryForObject("INSERT INTO insight_generations (kind, account_id, type, status) "
                + "VALUES ('inventory', ?, 'aws-rds', 'COMPLETE') RETURNING id", Long.class, account.id());
        f.sql.update("INSERT INTO insight_sources (kind, account_id, type, current_generation, last_attempt_at) "
                + "VALUES ('inventory', ?, 'aws-rds', ?, now())", account.id(), generation);
        held(account, generation, "ri-soon", "5 days");
        held(account, generation, "ri-later", "20 days");
        held(account, generation, "ri-far", "200 days");
        CommitmentExpiryAnnouncer announcer = new CommitmentExpiryAnnouncer(f.jdbc, null, List.of(7, 30),
                Duration.ofHours(1));

        assertThat(announcer.announce()).isEqualTo(2);
        assertThat(announcer.announce()).isZero();
        assertThat(thresholds()).containsExactlyInAnyOrder("ri-later:30", "ri-soon:7");

        // two weeks on: ri-later is within 7 days now
        f.sql.update("UPDATE held_commitments SET end_at = end_at - interval '14 days' WHERE commitment_id = 'ri-later'");
        assertThat(announcer.announce()).isEqualTo(1);
        assertThat(thresholds()).containsExactlyInAnyOrder("ri-later:30", "ri-later:7", "ri-soon:7");
        assertThat(f.sql.queryForObject("SELECT payload->>'account' FROM notifications WHERE event = "
                + "'commitment-expiring' AND payload->>'commitmentId' = 'ri-soon'", String.class))
                .isEqualTo(account.externalId());
    }

    private void held(Account account, long generation, String id, String endsIn) {
        f.sql.update("INSERT INTO held_commitments (generation_id, account_id, cloud, type, region, commitment_id, "
                + "offering, quantity, end_at, state, active) VALUES (?, ?, 'aws', 'aws-rds', 'us-east-1', ?, "
                + "'db.r6g.large', 2, now() + CAST(? AS interval), 'active', true)", generation, account.id(), id, endsIn);
    }

    private List<String> thresholds() {
        return f.sql.queryForList("SELECT (payload->>'commitmentId') || ':' || (payload->>'days') FROM notifications "
                + "WHERE event = 'commitment-expiring'", String.class);
    }
}
