package dev.pledge.app.engine;

import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V88 gave four triggers WHEN conditions so the engine's writes skip plpgsql calls that did nothing.
 * These check that what the triggers did is still done: every audit row's owner (a key's owner wins over
 * any owner a writer gives; a missing one is the actor), the engine's own rows naming their worker, and
 * the outbox announcing a finished purchase once while a claim announces nothing.
 */
@ExtendWith(PostgresExtension.class)
class TriggerConditionsTest {

    @Test
    void every_audit_row_gets_its_owner_and_a_key_actor_cannot_be_given_another_owner(TestSchema db) {
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(new InMemoryRdsCloud())),
                EngineFixture.fast());
        UUID key = f.sql.queryForObject("INSERT INTO api_keys (name, owner, key_hash, key_prefix, roles, created_by) "
                + "VALUES ('carol approver', 'carol@example.com', repeat('c', 64), 'pk_carol', ARRAY['APPROVER'], "
                + "'test') RETURNING id", UUID.class);
        String keyActor = "key:" + key;
        long before = f.sql.queryForObject("SELECT coalesce(max(id), 0) FROM audit_events", Long.class);

        f.sql.update("INSERT INTO audit_events (actor, action) VALUES (?, 'T1')", keyActor);
        f.sql.update("INSERT INTO audit_events (actor, actor_owner, action) VALUES (?, 'mallory', 'T2')", keyActor);
        f.sql.update("INSERT INTO audit_events (actor, action) VALUES ('sweep:lease', 'T3')");
        f.sql.update("INSERT INTO audit_events (actor, action) VALUES ('key:not-a-uuid', 'T4')");
        f.sql.update("INSERT INTO audit_events (actor, actor_owner, action) VALUES ('worker:w9', 'worker:w9', 'T5')");

        List<Map<String, Object>> rows = f.sql.queryForList(
                "SELECT action, actor_owner FROM audit_events WHERE id > ? ORDER BY id", before);
        assertThat(rows).extracting(r -> r.get("action") + "=" + r.get("actor_owner")).containsExactly(
                "T1=carol@example.com", "T2=carol@example.com", "T3=sweep:lease", "T4=key:not-a-uuid",
                "T5=worker:w9");
    }

    @Test
    void a_purchase_run_by_the_engine_has_owned_audit_rows_and_one_finish_notification(TestSchema db) throws Exception {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.fast());
        UUID id = f.approvedExecution(f.awsAccount(), 1);
        long notificationsBefore = f.sql.queryForObject(
                "SELECT count(*) FROM notifications WHERE execution_id = ?", Long.class, id);

        ClaimedExecution claimed = f.store.claim("w1", Duration.ofSeconds(30)).orElseThrow();
        assertThat(f.sql.queryForObject("SELECT count(*) FROM notifications WHERE execution_id = ?", Long.class, id))
                .as("a claim announces nothing").isEqualTo(notificationsBefore);
        assertThat(f.run(claimed).run()).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> rows = f.sql.queryForList("SELECT action, actor, actor_owner FROM audit_events "
                + "WHERE execution_id = ? AND actor LIKE 'worker:%' ORDER BY id", id);
        assertThat(rows).extracting(r -> r.get("action"))
                .containsExactly("CLAIM", "ITEM_ATTEMPT", "ITEM_OUTCOME", "FINISH");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("actor_owner")).isEqualTo("worker:w1"));
        assertThat(f.sql.queryForList("SELECT event FROM notifications WHERE execution_id = ? ORDER BY occurred_at, id",
                String.class, id)).containsExactly("purchase-pending-approval", "purchase-approved", "purchase-succeeded");
    }

    @Test
    void the_outbox_trigger_fires_for_exactly_the_status_changes_the_notification_function_names(TestSchema db) {
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(new InMemoryRdsCloud())),
                EngineFixture.fast());
        String definition = f.sql.queryForObject("SELECT pg_get_triggerdef(oid) FROM pg_trigger "
                + "WHERE tgname = 'executions_notify_status' AND tgrelid = CAST('executions' AS regclass)", String.class);
        java.util.regex.Matcher when = java.util.regex.Pattern.compile("WHEN \\((.*)\\) EXECUTE").matcher(definition);
        assertThat(when.find()).as(definition).isTrue();
        String condition = when.group(1).replaceAll("(?i)\\bold\\.status\\b", "o").replaceAll("(?i)\\bnew\\.status\\b", "n");
        String[] statuses = java.util.Arrays.stream(dev.pledge.app.execution.ExecutionStatus.values())
                .map(Enum::name).toArray(String[]::new);

        List<String> disagreeing = f.sql.queryForList("SELECT o || ' -> ' || n FROM unnest(CAST(? AS text[])) o, "
                + "unnest(CAST(? AS text[])) n WHERE (o IS DISTINCT FROM n AND purchase_notification_event(o, n) "
                + "IS NOT NULL) IS DISTINCT FROM coalesce(" + condition + ", false)", String.class, statuses, statuses);
        long firing = f.sql.queryForObject("SELECT count(*) FROM unnest(CAST(? AS text[])) o, "
                + "unnest(CAST(? AS text[])) n WHERE " + condition, Long.class, statuses, statuses);

        assertThat(disagreeing).as(condition).isEmpty();
        assertThat(firing).as("pairs that announce something").isGreaterThan(0);
    }
}
