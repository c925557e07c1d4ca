package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, defect 5, through the API: an APPROVED purchase whose item already has an attempt (handed
 * back by the lease sweep, a shutdown or a worker waiting for an in-flight attempt) cannot be canceled;
 * the 409 says which item and why.
 */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelAfterAttemptTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;
    private String account;
    private String requester;
    private String approver;

    @BeforeAll
    void keys() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        account = fixture.awsAccount();
        requester = fixture.key("cancel requester", "REQUESTER");
        approver = fixture.key("cancel approver", "APPROVER");
    }

    @Test
    void cancel_of_an_approved_purchase_with_an_attempt_is_a_409_naming_the_item() {
        String id = fixture.pendingPurchase(requester, account);
        // held for review, so no worker claims it while the test sets up its earlier attempt
        sql.update("UPDATE executions SET not_before = now() + interval '1 hour' WHERE id = ?", UUID.fromString(id));
        assertThat(http.post("/api/v1/purchases/" + id + "/approve", approver, null).status()).isEqualTo(200);
        // what a worker leaves behind when its lease ran out after the write-ahead record
        sql.update("UPDATE items SET attempts = 1, status = 'PURCHASING', attempt_started_at = now() "
                + "WHERE execution_id = ?", UUID.fromString(id));
        sql.update("INSERT INTO item_attempts (execution_id, position, attempt, worker, started_at) "
                + "VALUES (?, 0, 1, 'lost-worker', now())", UUID.fromString(id));

        Http.Response cancel = http.post("/api/v1/purchases/" + id + "/cancel", requester, null);

        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.json().path("currentStatus").asString()).isEqualTo("APPROVED");
        assertThat(cancel.detail()).contains("item 0 has an attempt").contains("no result recorded")
                .contains("may have been bought");
        assertThat(fixture.status(id)).isEqualTo("APPROVED");
    }

    @Test
    void an_approved_purchase_nothing_was_attempted_for_can_still_be_canceled() {
        String id = fixture.pendingPurchase(requester, account);
        sql.update("UPDATE executions SET not_before = now() + interval '1 hour' WHERE id = ?", UUID.fromString(id));
        assertThat(http.post("/api/v1/purchases/" + id + "/approve", approver, null).status()).isEqualTo(200);

        Http.Response cancel = http.post("/api/v1/purchases/" + id + "/cancel", requester, null);

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(fixture.status(id)).isEqualTo("CANCELED");
    }
}
