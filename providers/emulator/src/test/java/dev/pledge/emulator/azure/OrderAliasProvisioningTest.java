package dev.pledge.emulator.azure;

import com.github.tomakehurst.wiremock.common.Json;
import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.EmulatorClient;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure orders advance with time, as in Azure: a GET of the alias (what a guard or a confirmation
 * reads) shows where the order stands without anyone polling its operation.
 */
class OrderAliasProvisioningTest {
    private static final String RESERVATIONS = "/providers/Microsoft.BillingBenefits/reservationOrderAliases/";
    private static final String SCOPE = "/subscriptions/11111111-2222-3333-4444-555555555555";
    private static Emulator emulator;
    private static EmulatorClient control;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().apis(List.of(new ReservationOrderAliasApi(), new SavingsPlanOrderAliasApi()))
                .build().start();
        control = emulator.client();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    @Test
    void a_get_of_the_alias_shows_the_order_succeeded_once_provisioned_without_any_poll_of_its_operation() {
        assertThat(send("PUT", RESERVATIONS + "pledge-time-1", body()).statusCode()).isEqualTo(201);

        // nobody polls the operation: the order is still provisioned, as in Azure
        assertThat(state(send("GET", RESERVATIONS + "pledge-time-1", null))).isEqualTo("Succeeded");
        assertThat(control.commitments(Cloud.AZURE, "azure-reservation")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("Succeeded"));
    }

    @Test
    void an_order_stays_pending_billing_for_its_provisioning_time_then_succeeds() {
        offering(Map.of("provisioningMs", "600000", "provisioningState", "PendingBilling"));
        HttpResponse<String> put = send("PUT", RESERVATIONS + "pledge-time-2", body());
        String status = pathAndQuery(put.headers().firstValue("Azure-AsyncOperation").orElseThrow());
        String location = pathAndQuery(put.headers().firstValue("Location").orElseThrow());

        assertThat(state(put)).isEqualTo("PendingBilling");
        assertThat(state(send("GET", RESERVATIONS + "pledge-time-2", null))).isEqualTo("PendingBilling");
        assertThat(json(send("GET", status, null))).containsEntry("status", "InProgress");
        assertThat(send("GET", location, null).statusCode()).isEqualTo(202);

        control.advanceClock(Duration.ofMinutes(10));

        assertThat(state(send("GET", RESERVATIONS + "pledge-time-2", null))).isEqualTo("Succeeded");
        assertThat(json(send("GET", status, null))).containsEntry("status", "Succeeded");
        assertThat(send("GET", location, null).statusCode()).isEqualTo(200);
        assertThat(control.commitments(Cloud.AZURE, "azure-reservation")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("Succeeded"));
    }

    @Test
    void an_order_whose_offering_fails_after_provisioning_reads_failed_with_its_error_and_holds_nothing() {
        offering(Map.of("provisioningMs", "600000", "provisioningOutcome", "fail"));
        HttpResponse<String> put = send("PUT", RESERVATIONS + "pledge-time-3", body());
        String status = pathAndQuery(put.headers().firstValue("Azure-AsyncOperation").orElseThrow());

        assertThat(state(send("GET", RESERVATIONS + "pledge-time-3", null))).isEqualTo("Creating");

        control.advanceClock(Duration.ofMinutes(10));

        HttpResponse<String> get = send("GET", RESERVATIONS + "pledge-time-3", null);
        assertThat(state(get)).isEqualTo("Failed");
        assertThat(get.body()).contains("OrderFailed");
        Map<String, Object> op = json(send("GET", status, null));
        assertThat(op).containsEntry("status", "Failed");
        assertThat(op.get("error")).asString().contains("OrderFailed");
        assertThat(control.commitments(Cloud.AZURE, "azure-reservation")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("Failed"));
    }

    @Test
    void the_legacy_operation_polls_attribute_still_holds_the_operation_in_progress_for_that_many_polls() {
        offering(Map.of("operationPolls", "2"));
        HttpResponse<String> put = send("PUT", RESERVATIONS + "pledge-time-4", body());
        String status = pathAndQuery(put.headers().firstValue("Azure-AsyncOperation").orElseThrow());

        assertThat(json(send("GET", status, null))).containsEntry("status", "InProgress");
        assertThat(json(send("GET", status, null))).containsEntry("status", "InProgress");
        assertThat(json(send("GET", status, null))).containsEntry("status", "Succeeded");
    }

    // ---- plumbing ----

    private static void offering(Map<String, String> more) {
        Offering sku = control.offerings(Cloud.AZURE, "azure-reservation", "westeurope").stream()
                .filter(o -> o.product().equals("Standard_D2s_v3") && o.term().equals("1y") && "monthly".equals(o.payment()))
                .findFirst().orElseThrow();
        Map<String, String> attributes = new LinkedHashMap<>(sku.attributes());
        attributes.putAll(more);
        control.addOffering(new Offering(sku.cloud(), sku.type(), sku.region(), sku.offeringId(), sku.product(), sku.term(),
                sku.payment(), sku.description(), sku.currency(), sku.upfront(), sku.hourly(), attributes));
    }

    private static String body() {
        return """
                {"sku":{"name":"Standard_D2s_v3"},"location":"westeurope",
                 "properties":{"displayName":"web","billingScopeId":"%s","term":"P1Y","billingPlan":"P1M",
                   "appliedScopeType":"Shared","quantity":1,"renew":false,"reservedResourceType":"VirtualMachines"}}
                """.formatted(SCOPE);
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body) {
        String url = pathAndQuery.contains("?") ? pathAndQuery : pathAndQuery + "?api-version=2022-11-01";
        HttpRequest request = HttpRequest.newBuilder(emulator.baseUrl().resolve(url))
                .header("Authorization", "Bearer emulator").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pathAndQuery(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + "?" + u.getRawQuery();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return r.body().isBlank() ? Map.of() : Json.read(r.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static String state(HttpResponse<String> r) {
        return String.valueOf(((Map<String, Object>) json(r).get("properties")).get("provisioningState"));
    }
}
