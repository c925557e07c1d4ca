package dev.pledge.azure;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pledge.common.model.CommitmentRequest;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.common.spi.CommitmentExecutor;
import dev.pledge.common.spi.OutcomeKind;
import dev.pledge.common.spi.PurchaseContext;
import dev.pledge.common.spi.PurchaseOutcome;
import dev.pledge.common.spi.ProviderSettings;
import dev.pledge.emulator.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both answers Azure might give to a second PUT of an alias (200 with the existing order, or 409
 * Conflict; which one is unverified) end in RECOVERED with one order, for both alias types.
 */
class DuplicateAliasAnswersTest {
    private static Emulator emulator;
    private static ProviderSettings settings;
    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.builder().build().start();
        settings = ProviderSettings.emulator(emulator.baseUrl()).withPolling(Duration.ofMillis(10), Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(OrderAliasExecutor.class.getPackageName())).addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(OrderAliasExecutor.class.getPackageName())).detachAppender(logs);
    }

    @ParameterizedTest(name = "{0}, emulator answering a second PUT with {1}")
    @CsvSource({"azure-reservation, 200", "azure-reservation, 409", "azure-savings-plan, 200", "azure-savings-plan, 409"})
    void a_second_put_meeting_the_existing_alias_is_confirmed_and_recovered(String typeSlug, int answer) {
        CommitmentType type = CommitmentType.fromSlug("type", typeSlug);
        ArmConnections connections = new ArmConnections(settings);
        CommitmentExecutor executor = type == CommitmentType.AZURE_RESERVATION
                ? new ReservationOrderAliasExecutor(connections, settings)
                : new SavingsPlanOrderAliasExecutor(connections, settings);
        CommitmentRequest request = type == CommitmentType.AZURE_RESERVATION ? AzureFixtures.reservation(Map.of())
                : AzureFixtures.savingsPlan("4");
        AzureEmulatorFixture fixture = new AzureEmulatorFixture(emulator.client(), type, executor, answer == 409);
        fixture.reset();
        PurchaseContext ctx = AzureFixtures.freshContext();

        PurchaseOutcome first = executor.purchase(request, ctx);
        fixture.hideNextLookup();
        PurchaseOutcome second = executor.purchase(request, ctx);

        assertThat(first.kind()).isEqualTo(OutcomeKind.BOUGHT);
        assertThat(second.kind()).isEqualTo(OutcomeKind.RECOVERED);
        assertThat(second.commitmentId()).isEqualTo(first.commitmentId());
        assertThat(fixture.purchaseRequests()).as("PUTs that reached the emulator").isEqualTo(2);
        assertThat(fixture.commitments()).as("orders the emulator holds").isEqualTo(1);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("Azure answered " + answer));
    }
}
