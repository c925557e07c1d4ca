package dev.pledge.app.engine;

import dev.pledge.app.PledgeApplication;
import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.audit.AuditEvent;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.testing.SharedEmulator;
import dev.pledge.emulator.Emulator;
import dev.pledge.app.testing.PledgeSpringTest;
import dev.pledge.app.testing.PostgresTestInitializer;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@PledgeSpringTest
class EngineApplicationTest {
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;
    @Autowired
    ApprovalListener listener;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void an_approval_wakes_a_worker_through_listen_notify_without_waiting_for_a_poll() {
        Emulator emulator = SharedEmulator.get();
        Account account = accounts.create(new NewAccount(Cloud.AWS, "555566667777", "spring", Map.of()));
        String product = emulator.state().offerings(Cloud.AWS, "aws-rds", "eu-west-1").get(0).product();
        String description = emulator.state().offerings(Cloud.AWS, "aws-rds", "eu-west-1").get(0).description();
        UUID id = executions.create(NewExecution.of("requester", "one RDS node", List.of(
                new NewItem(account.id(), "aws-rds", "eu-west-1", product, 1, "3y", "all-upfront",
                        Map.of("productDescription", description)))))
                .detail().execution().id();

        executions.approve(id, "approver");

        // the poll interval is an hour here: only the notification can have started the work
        await().atMost(Duration.ofSeconds(30)).until(() ->
                executions.get(id).orElseThrow().execution().status() == ExecutionStatus.SUCCEEDED);
        assertThat(listener.notificationsReceived()).isPositive();
        assertThat(emulator.state().commitments(Cloud.AWS, "aws-rds", "555566667777", "eu-west-1"))
                .as("the emulator holds the commitment the real RDS executor bought").hasSize(1);
        assertThat(executions.auditTrail(id)).extracting(AuditEvent::action)
                .containsExactly("CREATE", "APPROVE", "CLAIM", "ITEM_ATTEMPT", "ITEM_OUTCOME", "FINISH");
        assertThat(executions.summary().get(ExecutionStatus.SUCCEEDED)).isPositive();
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("pledge.executions").tag("status", "SUCCEEDED")
                .gauge().value() >= 1.0);
        assertThat(meters.get(EngineMetrics.PURCHASES).tag("outcome", "BOUGHT").counter().count()).isPositive();
    }

    @Test
    void the_application_refuses_to_start_with_a_zero_lease_and_names_the_property() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(PledgeApplication.class)
                .web(WebApplicationType.SERVLET)
                .initializers(new PostgresTestInitializer())
                .properties("pledge.engine.lease=0s", "server.port=0",
                        // an emulator, so that a missing master key is not the first thing refused
                        "pledge.cloud.endpoint=http://127.0.0.1:9");

        assertThatThrownBy(app::run)
                .rootCause()
                .hasMessageContaining("pledge.engine.lease must be a positive duration");
    }
}
