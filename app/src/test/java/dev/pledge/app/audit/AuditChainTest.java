package dev.pledge.app.audit;

import dev.pledge.app.testing.TestDatabase;
import dev.pledge.app.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The hash chain over the audit trail holds on a normal history and names the first row changed out of band. */
class AuditChainTest {
    private TestSchema db;
    private JdbcTemplate sql;
    private AuditTrail trail;
    private AuditChain chain;
    private long first;

    /** A schema per test: a tampered chain stays tampered. */
    @BeforeEach
    void setUp() {
        db = TestDatabase.shared().newSchema("audit_chain");
        sql = db.jdbc();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(db.dataSource());
        trail = new AuditTrail(jdbc);
        chain = new AuditChain(jdbc, new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())));
        chain.sealAll();
        first = sql.queryForObject("SELECT coalesce(max(id), 0) FROM audit_events", Long.class);
        for (int i = 0; i < 20; i++) {
            trail.append(new AuditEntry("key:someone", "NOTE", null, null, null, null, null, "row " + i));
        }
        chain.sealAll();
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }

    @Test
    void the_chain_verifies_on_a_normal_history_and_grows_with_it() {
        AuditChain.Verification v = chain.verify();
        assertThat(v.intact()).as(String.valueOf(v)).isTrue();
        long links = v.links();
        trail.append(new AuditEntry("worker:w1", "NOTE", null, null, null, null, "abcd1234…", null));

        AuditChain.Verification later = chain.verify();
        assertThat(later.intact()).isTrue();
        assertThat(later.links()).isEqualTo(links + 1);
        assertThat(later.headHash()).isNotEqualTo(v.headHash()).matches("[0-9a-f]{64}");
        assertThat(later.unsealed()).isZero();
    }

    @Test
    void an_update_made_as_superuser_with_the_triggers_disabled_is_detected_and_the_row_named() {
        long victim = idOf("row 7");

        tamper("UPDATE audit_events SET detail = 'nothing to see' WHERE id = " + victim);

        AuditChain.Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenRow()).isEqualTo(victim);
        assertThat(v.problem()).contains("audit row " + victim).contains("does not match");
    }

    @Test
    void a_delete_made_as_superuser_with_the_triggers_disabled_is_detected_and_the_row_named() {
        long victim = idOf("row 3");

        tamper("DELETE FROM audit_events WHERE id = " + victim);

        AuditChain.Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenRow()).isEqualTo(victim);
        assertThat(v.problem()).contains("was deleted");
    }

    @Test
    void a_rewritten_link_is_detected_at_that_link() {
        long seq = sql.queryForObject("SELECT seq FROM audit_chain WHERE event_id = ?", Long.class, idOf("row 5"));

        tamper("UPDATE audit_chain SET hash = repeat('0', 64) WHERE seq = " + seq);

        AuditChain.Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(seq);
    }

    @Test
    void a_batch_is_sealed_in_id_order_with_each_link_as_audit_link_computes_it_from_the_one_before() {
        for (int i = 0; i < 30; i++) {
            trail.append(new AuditEntry("worker:w" + i, "NOTE", null, i % 3 == 0 ? null : i, null, "SUCCEEDED",
                    "ab\u00e9\u2026", i % 2 == 0 ? null : "r\u00e9sum\u00e9 " + i));
        }
        long before = sql.queryForObject("SELECT count(*) FROM audit_chain", Long.class);

        int sealed = sql.queryForObject("SELECT seal_audit_events(1000)", Integer.class);

        assertThat(sealed).isEqualTo(30);
        assertThat(sql.queryForObject("SELECT count(*) FROM audit_chain", Long.class)).isEqualTo(before + 30);
        // every link: the next sequence number, rows in id order, the hash audit_link gives over the previous hash
        assertThat(sql.queryForObject("""
                SELECT count(*) FROM audit_chain c
                JOIN audit_chain p ON p.seq = c.seq - 1
                JOIN audit_events e ON e.id = c.event_id
                WHERE c.hash = audit_link(p.hash, e) AND e.id > (SELECT event_id FROM audit_chain WHERE seq = p.seq)
                """, Long.class)).isEqualTo(before + 30 - 1);
        assertThat(chain.verify().intact()).isTrue();
        assertThat(sql.queryForObject("SELECT seal_audit_events(1000)", Integer.class)).isZero();
    }

    @Test
    void the_export_is_one_json_line_per_sealed_row_with_its_hash() {
        StringWriter out = new StringWriter();
        long lines = chain.export(first, out);

        assertThat(lines).isEqualTo(20);
        String[] rows = out.toString().split("\n");
        assertThat(rows).hasSize(20);
        assertThat(rows[0]).startsWith("{\"id\":").contains("\"owner\":\"key:someone\"").contains("\"hash\":\"")
                .contains("\"detail\":\"row 0\"");
    }

    private long idOf(String detail) {
        return sql.queryForObject("SELECT id FROM audit_events WHERE detail = ? AND id > ?", Long.class, detail, first);
    }

    /** What a superuser can do: switch the triggers off for the session and change the table. */
    private void tamper(String statement) {
        sql.execute("SET session_replication_role = replica; " + statement + "; SET session_replication_role = origin");
    }
}
