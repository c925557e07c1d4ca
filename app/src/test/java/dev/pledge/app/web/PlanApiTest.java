package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16: plans through the API: created by one ADMIN, approved by another owner's, paused, resumed, run now. */
@WebApiTest
class PlanApiTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
    }

    @Test
    void a_plan_goes_from_creation_to_a_cycle_with_its_next_run_and_history() {
        String account = fixture.awsAccount();
        Http.Response created = http.post("/api/v1/plans", WebApiTest.ADMIN_KEY, Map.of("name", "api plan",
                "accounts", List.of(account), "cadence", "0 0 6 * * MON", "ladderPercent", 50, "mode", "propose"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(created.json().path("status").asString()).isEqualTo("PENDING_APPROVAL");

        Http.Response self = http.post("/api/v1/plans/" + id + "/approve", WebApiTest.ADMIN_KEY, null);
        assertThat(self.status()).as(self.toString()).isEqualTo(403);
        assertThat(self.json().path("type").asString()).isEqualTo("urn:pledge:problem:four-eyes");

        String otherAdmin = fixture.key("second admin", "ADMIN");
        Http.Response approved = http.post("/api/v1/plans/" + id + "/approve", otherAdmin, null);
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().path("status").asString()).isEqualTo("ACTIVE");
        assertThat(approved.json().path("nextRunAt").asString()).endsWith("T06:00:00Z");

        Http.Response run = http.post("/api/v1/plans/" + id + "/run-now", otherAdmin, null);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        assertThat(run.json().path("detail").asString()).isEqualTo("nothing to propose");

        assertThat(http.post("/api/v1/plans/" + id + "/pause", otherAdmin, null).json().path("status").asString())
                .isEqualTo("PAUSED");
        Http.Response paused = http.post("/api/v1/plans/" + id + "/run-now", otherAdmin, null);
        assertThat(paused.status()).isEqualTo(409);
        assertThat(http.post("/api/v1/plans/" + id + "/resume", otherAdmin, null).json().path("status").asString())
                .isEqualTo("ACTIVE");

        JsonNode shown = http.get("/api/v1/plans/" + id, fixture.key("viewer", "VIEWER")).json();
        assertThat(shown.path("plan").path("id").asString()).isEqualTo(id);
        assertThat(shown.path("nextRunAt").asString()).isNotBlank();
        assertThat(shown.path("history").size()).isEqualTo(1);
        assertThat(sql.queryForList("SELECT action FROM audit_events WHERE detail LIKE ? ORDER BY id", String.class,
                "plan " + id + "%")).containsExactly("PLAN_CREATE", "PLAN_APPROVE", "PLAN_RUN_NOW", "PLAN_PAUSE",
                "PLAN_RESUME");

        Http.Response bad = http.post("/api/v1/plans", WebApiTest.ADMIN_KEY, Map.of("name", "bad", "cadence", "weekly"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asString()).isEqualTo("cadence");
    }
}
