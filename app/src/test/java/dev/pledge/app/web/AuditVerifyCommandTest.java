package dev.pledge.app.web;

import dev.pledge.app.cli.CliEnvironment;
import dev.pledge.app.cli.PledgeCommand;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** `pledge audit verify` against the running service: holds, names a row changed out of band, holds again. */
@WebApiTest
class AuditVerifyCommandTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    @Test
    void pledge_audit_verify_names_the_row_changed_behind_the_services_back() {
        Http http = new Http(port);
        new ApiFixture(http, WebApiTest.ADMIN_KEY).key("audit verify", "VIEWER");
        assertThat(run().exit).isZero();

        long victim = sql.queryForObject("SELECT max(event_id) FROM audit_chain", Long.class);
        String before = sql.queryForObject("SELECT detail FROM audit_events WHERE id = ?", String.class, victim);
        superuser("UPDATE audit_events SET detail = 'rewritten' WHERE id = " + victim);
        try {
            Run broken = run();
            assertThat(broken.exit).as(broken.out).isEqualTo(5);
            assertThat(broken.out).contains("BROKEN at row " + victim).contains("does not match");
            Http.Response answer = http.get("/api/v1/audit/verify", WebApiTest.ADMIN_KEY);
            assertThat(answer.json().path("brokenRow").asLong()).isEqualTo(victim);
        } finally {
            superuser("UPDATE audit_events SET detail = " + (before == null ? "NULL" : "'" + before.replace("'", "''")
                    + "'") + " WHERE id = " + victim);
        }
        Run again = run();
        assertThat(again.exit).as(again.out).isZero();
        assertThat(again.out).contains("The audit chain holds");
    }

    record Run(int exit, String out) {
    }

    private Run run() {
        StringWriter out = new StringWriter();
        CommandLine cl = PledgeCommand.commandLine(new CliEnvironment(Map.of("PLEDGE_API_KEY", WebApiTest.ADMIN_KEY),
                Optional.empty(), Clock.systemUTC()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int exit = cl.execute("audit", "verify", "--server", "http://localhost:" + port);
        return new Run(exit, out.toString());
    }

    private void superuser(String statement) {
        sql.execute("SET session_replication_role = replica; " + statement + "; SET session_replication_role = origin");
    }
}
