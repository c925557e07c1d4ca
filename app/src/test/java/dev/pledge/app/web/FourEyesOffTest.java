package dev.pledge.app.web;

import dev.pledge.app.testing.PostgresTestInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Four-eyes approval off: only with the explicit property, and said loudly at start. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pledge.api.four-eyes=false",
        "pledge.api.bootstrap-admin-key=" + WebApiTest.ADMIN_KEY,
        "pledge.engine.enabled=false"
})
@ContextConfiguration(initializers = {PostgresTestInitializer.class, TestEmulator.class})
class FourEyesOffTest {
    @LocalServerPort
    int port;

    @Test
    void with_four_eyes_off_a_key_may_approve_its_own_purchase_and_the_start_said_so(CapturedOutput output) {
        ApiFixture fixture = new ApiFixture(new Http(port), WebApiTest.ADMIN_KEY);
        String both = fixture.key("requests and approves", "REQUESTER", "APPROVER");
        String id = fixture.pendingPurchase(both, fixture.awsAccount());

        Http.Response approved = fixture.http.post("/api/v1/purchases/" + id + "/approve", both, null);

        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().path("status").asString()).isEqualTo("APPROVED");
        assertThat(output.getAll()).contains("FOUR-EYES APPROVAL IS OFF (pledge.api.four-eyes=false)");
    }
}
