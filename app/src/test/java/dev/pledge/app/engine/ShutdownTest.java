package dev.pledge.app.engine;

import dev.pledge.app.execution.ExecutionItem;
import dev.pledge.app.execution.ItemStatus;
import dev.pledge.app.testing.InMemoryRdsCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.spi.ExecutorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(PostgresExtension.class)
class ShutdownTest {

    @Test
    void on_shutdown_the_item_in_flight_finishes_and_the_rest_goes_back_to_approved_for_another_worker(TestSchema db)
            throws Exception {
        InMemoryRdsCloud cloud = new InMemoryRdsCloud();
        EngineFixture f = new EngineFixture(db, new ExecutorRegistry(List.of(cloud)), EngineFixture.steady());
        UUID id = f.approvedExecution(f.awsAccount(), 2);
        cloud.holdPurchases();
        WorkerPool pool = f.pool(1, Duration.ofMillis(50));
        pool.start();
        cloud.awaitHeldPurchase();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(pool::stop);
        // the purchase answers only once shutdown has begun, so the worker sees it before the next item
        await().atMost(Duration.ofSeconds(30)).until(pool::isStopping);
        cloud.release();
        stopped.get(30, TimeUnit.SECONDS);

        List<ExecutionItem> items = f.executions.get(id).orElseThrow().items();
        assertThat(items).extracting(ExecutionItem::status).containsExactly(ItemStatus.BOUGHT, ItemStatus.PENDING);
        assertThat(f.status(id)).isEqualTo("APPROVED");
        assertThat(f.sql.queryForObject("SELECT claims FROM executions WHERE id = ?", Integer.class, id))
                .as("a hand-back does not count against max-claims").isZero();
        assertThat(f.executions.auditTrail(id)).extracting(e -> e.action()).contains("RELEASE");

        // the next worker continues with the same token and buys only the rest
        ClaimedExecution next = f.store.claim("next", Duration.ofSeconds(30)).orElseThrow();
        assertThat(f.run(next).run()).isEqualTo(ExecutionRun.End.FINISHED);
        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(cloud.commitments()).isEqualTo(2);
        assertThat(cloud.purchaseRequests()).isEqualTo(2);
    }
}
