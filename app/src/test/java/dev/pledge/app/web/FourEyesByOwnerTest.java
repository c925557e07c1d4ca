package dev.pledge.app.web;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four-eyes is a matter of people: approve and re-drive are refused when the approver's owner is the
 * creator's owner, whichever keys they use (issue 19 finding 1; issue 14 defect 11).
 */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FourEyesByOwnerTest {
    private static final Emulator EMULATOR = TestEmulator.get();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;
    private String account;

    @BeforeAll
    void setUp() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        account = fixture.awsAccount();
    }

    @AfterEach
    void clearFaults() {
        EMULATOR.clearFaults();
    }

    @Test
    void the_key_that_created_a_purchase_cannot_redrive_it_after_it_failed() {
        String self = fixture.key("redrives its own", "REQUESTER", "APPROVER");
        String other = fixture.key("another approver", "APPROVER");
        String id = failedPurchase(self, other);

        Http.Response r = http.post("/api/v1/purchases/" + id + "/redrive", self, null);

        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:pledge:problem:four-eyes");
        assertThat(fixture.status(id)).isEqualTo("FAILED");
        assertThat(actions(id)).doesNotContain("REDRIVE");
    }

    /** A purchase created by {@code requester}, approved by {@code approver}, FAILED by a permanent fault. */
    String failedPurchase(String requester, String approver) {
        String id = fixture.pendingPurchase(requester, account);
        EMULATOR.inject(FaultSpec.error(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering", 1000, 400,
                "InvalidParameterCombination"));
        Http.Response approved = http.post("/api/v1/purchases/" + id + "/approve", approver, null);
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.status(id).equals("FAILED"));
        EMULATOR.clearFaults();
        return id;
    }

    List<String> actions(String id) {
        return sql.queryForList("SELECT action FROM audit_events WHERE execution_id = CAST(? AS uuid) ORDER BY id",
                String.class, id);
    }
}
